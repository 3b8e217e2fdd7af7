package io.tagstream.aggregation;

/**
 * The statistics of one tag over one window {@code [start, end)}, in a form that merges exactly: the
 * 1-hour figures are the 1-minute ones combined with {@link #then} and {@link #extendTo}, and equal what
 * {@link Accumulator} computes from the readings of the hour directly (up to the last bits of the sums).
 *
 * <p>Which samples count where:
 * <ul>
 *   <li>{@code count}: every sample; {@code imputedCount}: origin IMPUTED; {@code badCount}: quality BAD.</li>
 *   <li>Value statistics (min, max, sum, mean, stddev, first, last) use <em>usable</em> values only: not BAD,
 *       not null, finite. NaN and infinities are treated like a missing value, not propagated: one bad
 *       register read would otherwise turn a whole hour's mean and stddev into NaN. Imputed samples are
 *       usable (they are UNCERTAIN, not BAD) and also counted in {@code imputedCount}.</li>
 *   <li>Time-weighted average: the integral of the {@link Step} function over the time in which a value is
 *       in force, divided by that time. The step in force at the window start carries over from before.</li>
 * </ul>
 *
 * @param weighted       integral of the value over the covered time, value x milliseconds
 * @param weightedMillis milliseconds of the window in which a value was in force
 * @param endStep        the step in force at {@code end}, carried into the next window
 */
public record WindowStats(long start, long end, long count, long imputedCount, long badCount, Moments moments,
                          double min, double max, CompensatedSum sum, long firstTs, double first, long lastTs,
                          double last, CompensatedSum weighted, long weightedMillis, Step endStep) {

    /** Nothing yet: the window {@code [start, start)} with {@code carry} in force at its start. */
    public static WindowStats empty(long start, Step carry) {
        return new WindowStats(start, start, 0, 0, 0, Moments.EMPTY, Double.NaN, Double.NaN, CompensatedSum.ZERO,
                Long.MIN_VALUE, Double.NaN, Long.MIN_VALUE, Double.NaN, CompensatedSum.ZERO, 0, carry);
    }

    public boolean hasValues() {
        return moments.count() > 0;
    }

    public double mean() {
        return hasValues() ? moments.mean() : Double.NaN;
    }

    public double stddev() {
        return moments.populationStddev();
    }

    /** NaN when no value was in force at any time of the window. */
    public double timeWeightedAverage() {
        return weightedMillis == 0 ? Double.NaN : weighted.value() / weightedMillis;
    }

    /**
     * This window followed by {@code later} (which starts at or after this one's end): the time between them
     * holds this window's end step; the result spans both.
     */
    public WindowStats then(WindowStats later, long maxStepMs) {
        if (later.start < end) {
            throw new IllegalArgumentException("window starting " + later.start + " does not follow one ending " + end);
        }
        long gapMillis = endStep.coveredMillis(end, later.start, maxStepMs);
        CompensatedSum joinedWeighted = weighted;
        if (gapMillis > 0) {
            joinedWeighted = joinedWeighted.plus(endStep.value() * gapMillis);
        }
        joinedWeighted = joinedWeighted.plus(later.weighted);
        boolean mine = hasValues();
        boolean theirs = later.hasValues();
        return new WindowStats(start, later.end, count + later.count, imputedCount + later.imputedCount,
                badCount + later.badCount, moments.merge(later.moments),
                mine && theirs ? Math.min(min, later.min) : mine ? min : later.min,
                mine && theirs ? Math.max(max, later.max) : mine ? max : later.max,
                sum.plus(later.sum),
                mine ? firstTs : later.firstTs, mine ? first : later.first,
                theirs ? later.lastTs : lastTs, theirs ? later.last : last,
                joinedWeighted, weightedMillis + gapMillis + later.weightedMillis, later.endStep);
    }

    /** The same samples over a window that ends at {@code newEnd}; the end step holds until then. */
    public WindowStats extendTo(long newEnd, long maxStepMs) {
        return then(empty(newEnd, endStep), maxStepMs);
    }

    /**
     * Computes the statistics of one window from its samples, added in time order (equal times in arrival
     * order). Mutable; one per window computation.
     */
    public static final class Accumulator {

        private final long start;
        private final long maxStepMs;
        private long coveredUntil;
        private Step step;
        private long count;
        private long imputed;
        private long bad;
        private Moments moments = Moments.EMPTY;
        private double min = Double.NaN;
        private double max = Double.NaN;
        private CompensatedSum sum = CompensatedSum.ZERO;
        private long firstTs = Long.MIN_VALUE;
        private double first = Double.NaN;
        private long lastTs = Long.MIN_VALUE;
        private double last = Double.NaN;
        private CompensatedSum weighted = CompensatedSum.ZERO;
        private long weightedMillis;

        /** @param carry the step in force at {@code start} (from the previous window), or {@link Step#NONE} */
        public Accumulator(long start, Step carry, long maxStepMs) {
            this.start = start;
            this.maxStepMs = maxStepMs;
            this.coveredUntil = start;
            this.step = carry;
        }

        /**
         * @param value the sample's value; null, NaN or infinite make it unusable
         */
        public Accumulator add(long ts, Double value, boolean imputedSample, boolean badSample) {
            if (ts < coveredUntil) {
                throw new IllegalArgumentException("sample at " + ts + " before " + coveredUntil + ": add in time order");
            }
            advanceTo(ts);
            count++;
            if (imputedSample) {
                imputed++;
            }
            if (badSample) {
                bad++;
            }
            boolean usable = !badSample && value != null && Double.isFinite(value);
            if (usable) {
                double x = value;
                moments = moments.plus(x);
                min = moments.count() == 1 ? x : Math.min(min, x);
                max = moments.count() == 1 ? x : Math.max(max, x);
                sum = sum.plus(x);
                if (firstTs == Long.MIN_VALUE) {
                    firstTs = ts;
                    first = x;
                }
                lastTs = ts;
                last = x;
            }
            step = new Step(usable ? value : Double.NaN, ts);
            return this;
        }

        public WindowStats closeAt(long end) {
            advanceTo(end);
            return new WindowStats(start, end, count, imputed, bad, moments, min, max, sum, firstTs, first, lastTs, last,
                    weighted, weightedMillis, step);
        }

        private void advanceTo(long time) {
            long millis = step.coveredMillis(coveredUntil, time, maxStepMs);
            if (millis > 0) {
                weighted = weighted.plus(step.value() * millis);
                weightedMillis += millis;
            }
            coveredUntil = Math.max(coveredUntil, time);
        }
    }
}
