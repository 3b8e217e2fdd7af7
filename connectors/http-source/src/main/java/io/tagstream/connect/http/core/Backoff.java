package io.tagstream.connect.http.core;

import java.time.Duration;

/**
 * Exponential backoff for transient failures: initial, doubled per attempt, capped. A server's Retry-After
 * wins when it asks for longer (never shorter: a 429 says exactly how long to stay away).
 */
public record Backoff(Duration initial, Duration max) {

    public Duration delay(int attempt, Duration retryAfter) {
        int shift = Math.max(0, Math.min(attempt - 1, 20));
        long ms = Math.min(max.toMillis(), initial.toMillis() << shift);
        Duration computed = Duration.ofMillis(ms);
        if (retryAfter != null && retryAfter.compareTo(computed) > 0) {
            return retryAfter;
        }
        return computed;
    }
}
