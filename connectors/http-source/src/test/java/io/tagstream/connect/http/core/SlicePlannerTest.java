package io.tagstream.connect.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class SlicePlannerTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private final Instant start = Instant.parse("2026-11-01T00:00:00Z");
    private final SlicePlanner planner = new SlicePlanner(start, HOUR, Duration.ofHours(24), HOUR);

    @Test
    void backfillsInBoundedSlicesFromTheStart() {
        Instant now = Instant.parse("2026-11-04T10:30:00Z");
        Window first = planner.next(null, now).orElseThrow();
        assertThat(first).isEqualTo(new Window(start, Instant.parse("2026-11-01T23:00:00Z")));
        Window second = planner.next(first.to(), now).orElseThrow();
        assertThat(second.from()).as("continues one step after the last one done").isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(second.to()).isEqualTo(Instant.parse("2026-11-02T23:00:00Z"));
    }

    @Test
    void liveWindowsEndAtTheNewestPublishedStep() {
        Instant now = Instant.parse("2026-11-04T10:30:00Z");
        // lag 1h: at 10:30 the 09:00 hour is complete, 10:00 is not
        Window live = planner.next(Instant.parse("2026-11-04T05:00:00Z"), now).orElseThrow();
        assertThat(live).isEqualTo(new Window(Instant.parse("2026-11-04T06:00:00Z"), Instant.parse("2026-11-04T09:00:00Z")));
        assertThat(planner.next(live.to(), now)).as("caught up").isEmpty();
        assertThat(planner.next(live.to(), Instant.parse("2026-11-04T11:00:00Z")))
                .contains(new Window(Instant.parse("2026-11-04T10:00:00Z"), Instant.parse("2026-11-04T10:00:00Z")));
    }

    @Test
    void unalignedStartIsFlooredToTheStep() {
        SlicePlanner unaligned = new SlicePlanner(Instant.parse("2026-11-01T00:42:00Z"), HOUR, Duration.ofHours(6), Duration.ZERO);
        assertThat(unaligned.next(null, Instant.parse("2026-11-02T00:00:00Z")).orElseThrow().from())
                .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new SlicePlanner(start, Duration.ZERO, HOUR, HOUR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlicePlanner(start, HOUR, Duration.ofMinutes(5), HOUR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Window(Instant.parse("2026-11-02T00:00:00Z"), start)).isInstanceOf(IllegalArgumentException.class);
    }
}
