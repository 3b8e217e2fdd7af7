package io.tagstream.connect.webhook.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);

    private static RetryPolicy policy(int maxRetries, double random) {
        return new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60), maxRetries,
                StatusSet.parse(List.of("408", "429", "5xx")), () -> random, CLOCK);
    }

    @Test
    void exponentialBackoffIsBoundedAndJitteredDownwards() {
        RetryPolicy exact = policy(10, 0.0);
        assertThat(List.of(1, 2, 3, 4, 5, 6, 60).stream().map(n -> exact.backoff(n).toMillis()).toList())
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 8000L, 8000L);
        RetryPolicy jittered = policy(10, 1.0);
        assertThat(jittered.backoff(1)).isEqualTo(Duration.ofMillis(400));
        assertThat(jittered.backoff(10)).isEqualTo(Duration.ofMillis(6400));
    }

    @Test
    void classifiesOutcomes() {
        RetryPolicy policy = policy(3, 0.0);
        assertThat(policy.decide(HttpOutcome.response(200, null, "ok"), 0)).isInstanceOf(RetryPolicy.Delivered.class);
        assertThat(policy.decide(HttpOutcome.response(204, null, ""), 2)).isInstanceOf(RetryPolicy.Delivered.class);
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            assertThat(policy.decide(HttpOutcome.response(status, null, ""), 0)).as("%s", status).isInstanceOf(RetryPolicy.Retry.class);
        }
        assertThat(policy.decide(HttpOutcome.timeout("4000 ms"), 0)).isInstanceOf(RetryPolicy.Retry.class);
        assertThat(policy.decide(HttpOutcome.transportFailure("ConnectException"), 1)).isEqualTo(
                new RetryPolicy.Retry(Duration.ofMillis(1000), "ConnectException"));
        RetryPolicy.Decision badRequest = policy.decide(HttpOutcome.response(400, null, "invalid_blocks\n"), 0);
        assertThat(badRequest).isEqualTo(new RetryPolicy.Permanent("webhook refused the alert: HTTP 400 invalid_blocks"));
        assertThat(policy.decide(HttpOutcome.response(404, null, "no_service"), 0)).isInstanceOf(RetryPolicy.Permanent.class);
        assertThat(((RetryPolicy.Permanent) policy.decide(HttpOutcome.response(302, null, ""), 0)).reason())
                .contains("redirects are not followed");
    }

    @Test
    void givesUpAfterMaxRetriesUnlessUnlimited() {
        assertThat(policy(3, 0.0).decide(HttpOutcome.response(500, null, "oops"), 2)).isInstanceOf(RetryPolicy.Retry.class);
        RetryPolicy.Decision exhausted = policy(3, 0.0).decide(HttpOutcome.response(500, null, "oops"), 3);
        assertThat(exhausted).isEqualTo(new RetryPolicy.Exhausted("webhook still failing after 3 retries: HTTP 500 oops"));
        assertThat(policy(0, 0.0).decide(HttpOutcome.timeout("x"), 0)).isInstanceOf(RetryPolicy.Exhausted.class);
        assertThat(policy(-1, 0.0).decide(HttpOutcome.response(503, null, ""), 10_000)).isInstanceOf(RetryPolicy.Retry.class);
    }

    @Test
    void retryAfterSecondsOrDateWinsWhenLongerAndIsCapped() {
        RetryPolicy policy = policy(10, 0.0);
        assertThat(delay(policy.decide(HttpOutcome.response(429, "3", ""), 0))).isEqualTo(Duration.ofSeconds(3));
        assertThat(delay(policy.decide(HttpOutcome.response(503, "Mon, 30 Nov 2026 08:00:20 GMT", ""), 0)))
                .isEqualTo(Duration.ofSeconds(20));
        // shorter than the computed backoff: the backoff wins
        assertThat(delay(policy.decide(HttpOutcome.response(429, "1", ""), 3))).isEqualTo(Duration.ofSeconds(4));
        // an hour asked: capped at retry.after.max
        assertThat(delay(policy.decide(HttpOutcome.response(429, "3600", ""), 0))).isEqualTo(Duration.ofSeconds(60));
        // in the past, or unreadable: ignored
        assertThat(delay(policy.decide(HttpOutcome.response(503, "Mon, 30 Nov 2026 07:00:00 GMT", ""), 0))).isEqualTo(Duration.ofMillis(500));
        assertThat(delay(policy.decide(HttpOutcome.response(429, "soon", ""), 0))).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.retryAfter("-5")).isNull();
    }

    @Test
    void statusSets() {
        StatusSet set = StatusSet.parse(List.of("429", " 5xx ", "408"));
        assertThat(set.contains(429)).isTrue();
        assertThat(set.contains(599)).isTrue();
        assertThat(set.contains(500)).isTrue();
        assertThat(set.contains(400)).isFalse();
        assertThat(set.contains(430)).isFalse();
        assertThatThrownBy(() -> StatusSet.parse(List.of("4x"))).hasMessageContaining("'4x'");
        assertThatThrownBy(() -> StatusSet.parse(List.of("600"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, 1,
                set, () -> 0, CLOCK)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Duration delay(RetryPolicy.Decision decision) {
        assertThat(decision).isInstanceOf(RetryPolicy.Retry.class);
        return ((RetryPolicy.Retry) decision).delay();
    }
}
