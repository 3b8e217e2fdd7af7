package io.tagstream.connect.webhook.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * What to do after a POST: done, try again after a delay, or give up on this event.
 *
 * <ul>
 *   <li>2xx: delivered.</li>
 *   <li>a retryable status (by default 408, 429, 5xx), a timeout or a transport failure: retry after
 *       {@code initial * 2^(n-1)} capped at {@code max}, minus up to 20 % jitter so tasks that failed
 *       together do not come back together; a longer Retry-After (seconds or HTTP date) wins, capped at
 *       {@code retryAfterMax} so a bad header cannot stall the connector for hours.</li>
 *   <li>after {@code maxRetries} retries (negative: never): exhausted.</li>
 *   <li>any other status (400, 401, 403, 404, 410, 3xx, ...): permanent, retrying cannot help.</li>
 * </ul>
 */
public final class RetryPolicy {

    private static final double JITTER = 0.2;

    public sealed interface Decision permits Delivered, Retry, Permanent, Exhausted {
    }

    public record Delivered() implements Decision {
    }

    public record Retry(Duration delay, String reason) implements Decision {
    }

    public record Permanent(String reason) implements Decision {
    }

    public record Exhausted(String reason) implements Decision {
    }

    private final Duration initial;
    private final Duration max;
    private final Duration retryAfterMax;
    private final int maxRetries;
    private final StatusSet retryable;
    private final DoubleSupplier random;
    private final Clock clock;

    public RetryPolicy(Duration initial, Duration max, Duration retryAfterMax, int maxRetries, StatusSet retryable,
                       DoubleSupplier random, Clock clock) {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max");
        }
        this.initial = initial;
        this.max = max;
        this.retryAfterMax = retryAfterMax;
        this.maxRetries = maxRetries;
        this.retryable = retryable;
        this.random = random;
        this.clock = clock;
    }

    /**
     * @param outcome       what the POST came back with
     * @param retriesSoFar  how many times this event has been retried already (0 after the first attempt)
     */
    public Decision decide(HttpOutcome outcome, int retriesSoFar) {
        if (outcome.answered() && outcome.status() >= 200 && outcome.status() < 300) {
            return new Delivered();
        }
        boolean transientFailure = !outcome.answered() || retryable.contains(outcome.status());
        if (!transientFailure) {
            return new Permanent("webhook refused the alert: " + outcome.describe()
                    + (outcome.status() >= 300 && outcome.status() < 400 ? " (redirects are not followed: configure the final URL)" : ""));
        }
        if (maxRetries >= 0 && retriesSoFar >= maxRetries) {
            return new Exhausted("webhook still failing after " + retriesSoFar + " retries: " + outcome.describe());
        }
        Duration delay = backoff(retriesSoFar + 1);
        Duration asked = retryAfter(outcome.retryAfter());
        if (asked != null) {
            Duration capped = asked.compareTo(retryAfterMax) > 0 ? retryAfterMax : asked;
            if (capped.compareTo(delay) > 0) {
                delay = capped;
            }
        }
        return new Retry(delay, outcome.describe());
    }

    /** The computed delay before retry number {@code retry} (1-based), jitter included. */
    public Duration backoff(int retry) {
        long initialMs = initial.toMillis();
        long maxMs = max.toMillis();
        int shift = Math.min(Math.max(retry - 1, 0), 40);
        long base = initialMs > (maxMs >> shift) ? maxMs : Math.min(maxMs, initialMs << shift);
        long jitter = (long) (base * JITTER * Math.max(0, Math.min(1, random.getAsDouble())));
        return Duration.ofMillis(base - jitter);
    }

    /** A Retry-After value as a delay from now: delta-seconds or an HTTP date; null when absent or unreadable. */
    public Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.matches("\\d{1,10}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delta = Duration.between(clock.instant(), at);
            return delta.isNegative() ? Duration.ZERO : delta;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
