package io.tagstream.connect.modbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheBoundAndStartsOverAfterASuccess() {
        Backoff backoff = new Backoff(100, 1000);
        assertThat(backoff.fail()).isEqualTo(100);
        assertThat(backoff.fail()).isEqualTo(200);
        assertThat(backoff.fail()).isEqualTo(400);
        assertThat(backoff.fail()).isEqualTo(800);
        assertThat(backoff.fail()).isEqualTo(1000);
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.fail()).isEqualTo(1000);
        }
        backoff.succeed();
        assertThat(backoff.fail()).isEqualTo(100);
    }
}
