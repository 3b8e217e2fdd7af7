package io.tagstream.deadband;

/**
 * The deadband of one tag.
 *
 * @param mode               how {@code width} is meant
 * @param width              band half-width: engineering units (ABSOLUTE) or percent (PERCENT_*); &gt;= 0
 * @param hi                 top of the span (PERCENT_SPAN), may be null
 * @param lo                 bottom of the span (PERCENT_SPAN), may be null
 * @param maxSilenceMs       a sample passes when this long has gone by since the last sent one (heartbeat); &gt; 0
 * @param sendHeldBeforeJump whether the last suppressed sample is sent just before a sample that leaves the
 *                           band or changes quality, so step interpolation downstream is exact
 */
public record DeadbandSettings(BandMode mode, double width, Double hi, Double lo, long maxSilenceMs,
                               boolean sendHeldBeforeJump) {

    public DeadbandSettings {
        if (mode == null) {
            throw new IllegalArgumentException("deadband mode is required");
        }
        if (!(width >= 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("deadband width must be a finite number >= 0, got " + width);
        }
        if (maxSilenceMs <= 0) {
            throw new IllegalArgumentException("max silence must be > 0 ms, got " + maxSilenceMs);
        }
    }

    /**
     * Why these settings cannot work as given, or null. A percent-of-span band needs {@code hi > lo}; without
     * a usable span the band has width 0, so only exact repeats are suppressed (never hiding a change).
     */
    public String problem() {
        if (mode == BandMode.PERCENT_SPAN && span() <= 0) {
            return "PERCENT_SPAN deadband needs hi > lo, got hi=" + hi + " lo=" + lo
                    + "; the band has width 0 (only exact repeats are suppressed)";
        }
        return null;
    }

    /** hi - lo, or 0 when either is missing or not finite (a zero or negative span is no span). */
    double span() {
        if (hi == null || lo == null || !Double.isFinite(hi) || !Double.isFinite(lo)) {
            return 0;
        }
        double span = hi - lo;
        return Double.isFinite(span) && span > 0 ? span : 0;
    }

    /** Half-width of the band around {@code reference} (the last sent value), in engineering units. */
    double bandWidth(double reference) {
        return switch (mode) {
            case ABSOLUTE -> width;
            case PERCENT_SPAN -> width / 100.0 * span();
            case PERCENT_VALUE -> width / 100.0 * Math.abs(reference);
            case OFF -> 0;
        };
    }
}
