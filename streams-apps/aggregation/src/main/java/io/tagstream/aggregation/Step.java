package io.tagstream.aggregation;

/**
 * The value of a tag in force under step interpolation: the value of its latest sample, from that sample's
 * time on, until the next sample or {@code maxStepMs} later, whichever comes first. A sample without a usable
 * value (BAD quality, null, NaN, infinite) starts an unknown step: from then on no value is in force and
 * that time does not count towards a time-weighted average.
 *
 * @param value the value in force; NaN when unknown
 * @param since when the step started (the sample's time)
 */
public record Step(double value, long since) {

    /** No sample seen yet. */
    public static final Step NONE = new Step(Double.NaN, Long.MIN_VALUE);

    public boolean known() {
        return !Double.isNaN(value);
    }

    /** Milliseconds of {@code [from, to)} during which this step's value is in force. */
    public long coveredMillis(long from, long to, long maxStepMs) {
        if (!known() || to <= from) {
            return 0;
        }
        long until = Math.min(to, saturatedAdd(since, maxStepMs));
        return Math.max(0, until - Math.max(from, since));
    }

    /** True when the step can no longer put a value in force at or after {@code time}. */
    public boolean expiredBy(long time, long maxStepMs) {
        return !known() || saturatedAdd(since, maxStepMs) <= time;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
