package io.tagstream.deadband;

import java.util.List;

import io.tagstream.schema.Reading;

/**
 * Report by exception (ARCHITECTURE.md section 5): decides per sample whether it passes, given what was
 * last sent for the tag. Pure: no I/O, no clock, the caller keeps the returned state.
 *
 * <p>Rules, in order:
 * <ol>
 * <li>The first sample of a tag passes.</li>
 * <li>A sample not newer than the newest one seen (clock going backwards, a duplicate) passes through
 *     unchanged and leaves the state alone: the deadband never hides a measurement it cannot place in
 *     time, and a stale sample never becomes the reference.</li>
 * <li>A quality change passes.</li>
 * <li>A change of value kind passes: kinds are a number, null (e.g. BAD without value), NaN, +Infinity and
 *     -Infinity. Non-numbers never enter band arithmetic; a repeat of the same non-number is "no change".</li>
 * <li>With mode OFF every sample passes.</li>
 * <li>A number passes when it is strictly outside the band: {@code |value - lastSent| > width}. A value
 *     exactly on the band edge is inside and is suppressed.</li>
 * <li>A sample passes when {@code ts - lastSent.ts >= maxSilence} (heartbeat), so silence longer than
 *     max silence downstream means the data really stopped.</li>
 * <li>Anything else is suppressed and held.</li>
 * </ol>
 * When a sample passes because of a jump (rules 3, 4, 6) and a suppressed sample is held, the held sample
 * is sent first if so configured.
 */
public final class Deadband {

    /** Why a sample passed or not. */
    public enum Reason {
        FIRST(true), OUT_OF_ORDER(true), QUALITY_CHANGED(true), VALUE_KIND_CHANGED(true), DEADBAND_OFF(true),
        OUTSIDE_BAND(true), HEARTBEAT(true), SUPPRESSED(false);

        private final boolean passes;

        Reason(boolean passes) {
            this.passes = passes;
        }

        public boolean passes() {
            return passes;
        }
    }

    /**
     * @param reason  why
     * @param emitted what to send, in order (the held sample first when it is sent before a jump)
     * @param state   the tag's state after this sample
     */
    public record Outcome(Reason reason, List<Reading> emitted, DeadbandState state) {
    }

    private enum ValueKind { NUMBER, NULL, NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY }

    private Deadband() {
    }

    public static Outcome apply(DeadbandState state, Reading sample, DeadbandSettings settings) {
        if (state == null) {
            return pass(Reason.FIRST, sample);
        }
        long ts = sample.getTs().toEpochMilli();
        if (ts <= state.newestTs()) {
            return new Outcome(Reason.OUT_OF_ORDER, List.of(sample), state);
        }
        SentSample last = state.lastSent();
        if (sample.getQuality() != last.quality()) {
            return jump(Reason.QUALITY_CHANGED, state, sample, settings);
        }
        ValueKind kind = kind(sample.getValue());
        if (kind != kind(last.value())) {
            return jump(Reason.VALUE_KIND_CHANGED, state, sample, settings);
        }
        if (settings.mode() == BandMode.OFF) {
            return pass(Reason.DEADBAND_OFF, sample);
        }
        if (kind == ValueKind.NUMBER) {
            double reference = last.value();
            if (Math.abs(sample.getValue() - reference) > settings.bandWidth(reference)) {
                return jump(Reason.OUTSIDE_BAND, state, sample, settings);
            }
        }
        if (ts - last.ts() >= settings.maxSilenceMs()) {
            return pass(Reason.HEARTBEAT, sample);
        }
        return new Outcome(Reason.SUPPRESSED, List.of(), new DeadbandState(last, sample));
    }

    private static Outcome pass(Reason reason, Reading sample) {
        return new Outcome(reason, List.of(sample), new DeadbandState(SentSample.of(sample), null));
    }

    private static Outcome jump(Reason reason, DeadbandState state, Reading sample, DeadbandSettings settings) {
        if (settings.sendHeldBeforeJump() && state.held() != null) {
            return new Outcome(reason, List.of(state.held(), sample), new DeadbandState(SentSample.of(sample), null));
        }
        return pass(reason, sample);
    }

    private static ValueKind kind(Double value) {
        if (value == null) {
            return ValueKind.NULL;
        }
        if (value.isNaN()) {
            return ValueKind.NAN;
        }
        if (value.isInfinite()) {
            return value > 0 ? ValueKind.POSITIVE_INFINITY : ValueKind.NEGATIVE_INFINITY;
        }
        return ValueKind.NUMBER;
    }
}
