package io.tagstream.imputation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tagstream.schema.Imputation;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;

/**
 * Bounded, flagged gap filling (ARCHITECTURE.md section 5). When a real sample arrives after a gap longer
 * than {@code period * tolerance} and shorter than {@code maxGap}, points are filled on the expected grid
 * {@code last.ts + k * period} (k = 1, 2, ... while before the new sample), then the sample itself follows.
 * Filled points carry origin IMPUTED, the method and quality UNCERTAIN. Pure: the caller keeps the state.
 *
 * <p>Rules:
 * <ul>
 * <li>Never across BAD quality: if either end of the gap is BAD, nothing is filled.</li>
 * <li>Only between numbers: an end without a finite value (null, NaN, Infinity) is not a basis for a fill;
 *     LOCF needs the value before the gap, LINEAR both.</li>
 * <li>A sample older than the newest one seen passes through unchanged and does not touch the state
 *     (it is a late measurement, not the end of a gap); a sample with exactly the newest time is a duplicate
 *     and is dropped. Both are counted by the caller.</li>
 * <li>Gaps of {@code maxGap} or longer stay open; so do gaps that would need more than
 *     {@link #MAX_POINTS_PER_GAP} points (a configuration mistake, not data).</li>
 * </ul>
 */
public final class GapFiller {

    /** Upper bound of points filled into one gap, whatever the configuration says. */
    public static final int MAX_POINTS_PER_GAP = 10_000;

    /** The {@code source} of filled points. */
    public static final String SOURCE = "tagstream-imputation";

    public enum Reason {
        FIRST, NO_GAP, FILLED, GAP_TOO_LONG, TOO_MANY_POINTS, NOT_FILLED_BAD_QUALITY, NOT_FILLED_NO_NUMBER,
        OUT_OF_ORDER, DUPLICATE
    }

    /**
     * @param reason   what happened
     * @param emitted  what to send, in time order: filled points, then the sample (empty for a duplicate)
     * @param imputed  how many of {@code emitted} are filled points
     * @param state    the tag's state afterwards
     */
    public record Outcome(Reason reason, List<Reading> emitted, int imputed, GapState state) {
    }

    private GapFiller() {
    }

    public static Outcome apply(GapState state, Reading sample, GapSettings settings) {
        if (state == null) {
            return pass(Reason.FIRST, sample);
        }
        long ts = sample.getTs().toEpochMilli();
        if (ts < state.lastTs()) {
            return new Outcome(Reason.OUT_OF_ORDER, List.of(sample), 0, state);
        }
        if (ts == state.lastTs()) {
            return new Outcome(Reason.DUPLICATE, List.of(), 0, state);
        }
        long gap = ts - state.lastTs();
        if (gap <= settings.fillThresholdMs()) {
            return pass(Reason.NO_GAP, sample);
        }
        if (gap >= settings.maxGapMs()) {
            return pass(Reason.GAP_TOO_LONG, sample);
        }
        Reading last = state.last();
        if (last.getQuality() == Quality.BAD || sample.getQuality() == Quality.BAD) {
            return pass(Reason.NOT_FILLED_BAD_QUALITY, sample);
        }
        boolean linear = settings.method() == Imputation.LINEAR;
        if (!isNumber(last.getValue()) || (linear && !isNumber(sample.getValue()))) {
            return pass(Reason.NOT_FILLED_NO_NUMBER, sample);
        }
        long period = settings.expectedPeriodMs();
        long points = (gap - 1) / period; // grid points strictly before the new sample
        if (points > MAX_POINTS_PER_GAP) {
            return pass(Reason.TOO_MANY_POINTS, sample);
        }
        List<Reading> emitted = new ArrayList<>((int) points + 1);
        double v0 = last.getValue();
        for (long k = 1; k <= points; k++) {
            long t = state.lastTs() + k * period;
            double value = linear ? v0 + (sample.getValue() - v0) * ((double) (t - state.lastTs()) / gap) : v0;
            emitted.add(filled(last, t, value, settings.method()));
        }
        emitted.add(sample);
        return new Outcome(Reason.FILLED, emitted, (int) points, new GapState(sample));
    }

    private static Outcome pass(Reason reason, Reading sample) {
        return new Outcome(reason, List.of(sample), 0, new GapState(sample));
    }

    private static Reading filled(Reading last, long ts, double value, Imputation method) {
        return Reading.newBuilder(last)
                .setTs(Instant.ofEpochMilli(ts))
                .setValue(value)
                .setQuality(Quality.UNCERTAIN)
                .setOrigin(Origin.IMPUTED)
                .setImputation(method)
                .setSource(SOURCE)
                .build();
    }

    private static boolean isNumber(Double value) {
        return value != null && Double.isFinite(value);
    }
}
