package io.tagstream.connect.modbus.core;

/**
 * Bounded exponential backoff between reconnection attempts: initial, 2x, 4x ... capped at max, back to
 * initial after a success. Not thread-safe; one per device connection.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private int failures;

    public Backoff(long initialMs, long maxMs) {
        if (initialMs <= 0 || maxMs < initialMs) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initialMs + ", " + maxMs);
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    public long fail() {
        long delay = initialMs << Math.min(failures, 30);
        failures++;
        return delay <= 0 || delay > maxMs ? maxMs : delay;
    }

    public void succeed() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
