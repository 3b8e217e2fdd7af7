package io.tagstream.imputation;

import io.tagstream.schema.Imputation;

/**
 * How gaps of one tag are filled.
 *
 * @param expectedPeriodMs the tag's expected sample period: the heartbeat period (max silence) when a
 *                         deadband applies upstream, else the source's poll period; also the fill grid step
 * @param tolerance        a gap is longer than {@code expectedPeriodMs * tolerance} before it is filled; &gt;= 1
 * @param maxGapMs         gaps of this length or longer are left open (they surface as STALE alerts)
 * @param method           LOCF or LINEAR
 */
public record GapSettings(long expectedPeriodMs, double tolerance, long maxGapMs, Imputation method) {

    public GapSettings {
        if (expectedPeriodMs <= 0) {
            throw new IllegalArgumentException("expected period must be > 0 ms, got " + expectedPeriodMs);
        }
        if (!(tolerance >= 1.0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 1, got " + tolerance);
        }
        if (maxGapMs <= 0) {
            throw new IllegalArgumentException("max gap must be > 0 ms, got " + maxGapMs);
        }
        if (method == null) {
            throw new IllegalArgumentException("imputation method is required");
        }
    }

    /** Gaps longer than this (strictly) are filled, if also shorter than {@link #maxGapMs}. */
    double fillThresholdMs() {
        return expectedPeriodMs * tolerance;
    }
}
