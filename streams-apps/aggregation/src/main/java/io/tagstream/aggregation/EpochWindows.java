package io.tagstream.aggregation;

/** Epoch-aligned tumbling windows: a minute or an hour starts at a multiple of its length since 1970-01-01T00:00Z. */
public final class EpochWindows {

    public static final long MINUTE_MS = 60_000L;
    public static final long HOUR_MS = 3_600_000L;

    private EpochWindows() {
    }

    public static long minuteStart(long ts) {
        return Math.floorDiv(ts, MINUTE_MS) * MINUTE_MS;
    }

    public static long hourStart(long ts) {
        return Math.floorDiv(ts, HOUR_MS) * HOUR_MS;
    }
}
