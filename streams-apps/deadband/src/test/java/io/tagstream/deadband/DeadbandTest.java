package io.tagstream.deadband;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tagstream.deadband.Deadband.Outcome;
import io.tagstream.deadband.Deadband.Reason;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;

class DeadbandTest {

    private static final long SILENCE = 60_000;
    private static final DeadbandSettings ABS_HALF = new DeadbandSettings(BandMode.ABSOLUTE, 0.5, null, null, SILENCE, false);

    /** Runs samples through the deadband, carrying the state like the processor does. */
    private static final class Run {
        DeadbandState state;
        final List<Reason> reasons = new ArrayList<>();
        final List<Reading> out = new ArrayList<>();

        Run feed(DeadbandSettings settings, Reading... samples) {
            for (Reading sample : samples) {
                Outcome outcome = Deadband.apply(state, sample, settings);
                reasons.add(outcome.reason());
                out.addAll(outcome.emitted());
                state = outcome.state();
            }
            return this;
        }
    }

    static Reading sample(long ts, Double value) {
        return sample(ts, value, Quality.GOOD);
    }

    static Reading sample(long ts, Double value, Quality quality) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("A1").setLine("L1").setDevice("PUMP01")
                .setTag("PRESS").setValue(value).setUnit("bar").setQuality(quality).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("test").build();
    }

    @Test
    void firstEverSamplePassesWhateverItIs() {
        for (Reading first : List.of(sample(1000, 5.0), sample(1000, null, Quality.BAD), sample(1000, Double.NaN))) {
            Outcome outcome = Deadband.apply(null, first, ABS_HALF);
            assertThat(outcome.reason()).isEqualTo(Reason.FIRST);
            assertThat(outcome.emitted()).containsExactly(first);
            assertThat(outcome.state()).isEqualTo(new DeadbandState(SentSample.of(first), null));
        }
    }

    @Test
    void absoluteBandSuppressesInsideAndPassesOutside() {
        Run run = new Run().feed(ABS_HALF, sample(0, 10.0), sample(1000, 10.3), sample(2000, 9.6), sample(3000, 10.6),
                sample(4000, 10.2));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.SUPPRESSED, Reason.OUTSIDE_BAND,
                Reason.SUPPRESSED);
        assertThat(run.out).extracting(Reading::getValue).containsExactly(10.0, 10.6);
    }

    @Test
    void bandIsAroundLastSentValueNotLastSeen() {
        // slow drift: each step is inside the band of its predecessor, but the sum leaves the band of the last sent
        Run run = new Run().feed(ABS_HALF, sample(0, 10.0), sample(1000, 10.25), sample(2000, 10.5), sample(3000, 10.75));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.SUPPRESSED, Reason.OUTSIDE_BAND);
    }

    @Test
    void valueExactlyOnTheBandEdgeIsInside() {
        // 0.5, 10.5 and 9.5 are exact in binary floating point, so this tests the rule, not rounding
        Run run = new Run().feed(ABS_HALF, sample(0, 10.0), sample(1000, 10.5), sample(2000, 9.5),
                sample(3000, Math.nextUp(10.5)));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.SUPPRESSED, Reason.OUTSIDE_BAND);
    }

    @Test
    void zeroWidthSuppressesOnlyExactRepeats() {
        DeadbandSettings exact = new DeadbandSettings(BandMode.ABSOLUTE, 0, null, null, SILENCE, false);
        Run run = new Run().feed(exact, sample(0, 1.0), sample(1000, 1.0), sample(2000, Math.nextUp(1.0)));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.OUTSIDE_BAND);
    }

    @Test
    void percentOfSpan() {
        // 1 % of span 200 (hi 150, lo -50) = 2.0
        DeadbandSettings span = new DeadbandSettings(BandMode.PERCENT_SPAN, 1.0, 150.0, -50.0, SILENCE, false);
        assertThat(span.problem()).isNull();
        Run run = new Run().feed(span, sample(0, 20.0), sample(1000, 22.0), sample(2000, 17.9));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.OUTSIDE_BAND);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -10.0})
    void zeroOrNegativeSpanFallsBackToExactRepeatsAndSaysWhy(double spanDelta) {
        DeadbandSettings broken = new DeadbandSettings(BandMode.PERCENT_SPAN, 5.0, 100.0, 100.0 - spanDelta, SILENCE, false);
        assertThat(broken.problem()).contains("hi > lo");
        Run run = new Run().feed(broken, sample(0, 50.0), sample(1000, 50.0), sample(2000, 50.001));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.OUTSIDE_BAND);
    }

    @Test
    void missingSpanIsNoSpan() {
        DeadbandSettings noSpan = new DeadbandSettings(BandMode.PERCENT_SPAN, 5.0, null, 0.0, SILENCE, false);
        assertThat(noSpan.problem()).isNotNull();
        assertThat(noSpan.bandWidth(10)).isZero();
    }

    @Test
    void percentOfLastSentValueUsesItsMagnitude() {
        DeadbandSettings pct = new DeadbandSettings(BandMode.PERCENT_VALUE, 10.0, null, null, SILENCE, false);
        // band 10 % of |-20| = 2
        Run run = new Run().feed(pct, sample(0, -20.0), sample(1000, -18.5), sample(2000, -22.5), sample(3000, -24.0));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.OUTSIDE_BAND, Reason.SUPPRESSED);
    }

    @Test
    void percentOfValueAroundZeroPassesEveryChange() {
        DeadbandSettings pct = new DeadbandSettings(BandMode.PERCENT_VALUE, 10.0, null, null, SILENCE, false);
        Run run = new Run().feed(pct, sample(0, 0.0), sample(1000, 0.0), sample(2000, 1e-9));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.OUTSIDE_BAND);
    }

    @Test
    void qualityChangeAlwaysPassesEvenInsideTheBand() {
        Run run = new Run().feed(ABS_HALF, sample(0, 10.0), sample(1000, 10.0, Quality.UNCERTAIN),
                sample(2000, 10.0, Quality.UNCERTAIN), sample(3000, 10.0, Quality.GOOD));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.QUALITY_CHANGED, Reason.SUPPRESSED,
                Reason.QUALITY_CHANGED);
    }

    @Test
    void badSamplesWithoutValue() {
        Run run = new Run().feed(ABS_HALF, sample(0, 10.0), sample(1000, null, Quality.BAD), sample(2000, null, Quality.BAD),
                sample(3000, 10.0, Quality.GOOD));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.QUALITY_CHANGED, Reason.SUPPRESSED,
                Reason.QUALITY_CHANGED);
        // null value with unchanged quality is a change of value kind, never arithmetic on null
        Run sameQuality = new Run().feed(ABS_HALF, sample(0, 1.0, Quality.UNCERTAIN), sample(1000, null, Quality.UNCERTAIN),
                sample(2000, 1.0, Quality.UNCERTAIN));
        assertThat(sameQuality.reasons).containsExactly(Reason.FIRST, Reason.VALUE_KIND_CHANGED, Reason.VALUE_KIND_CHANGED);
    }

    @Test
    void nanAndInfinityAreKindsOfTheirOwn() {
        Run run = new Run().feed(ABS_HALF, sample(0, 10.0), sample(1000, Double.NaN), sample(2000, Double.NaN),
                sample(3000, Double.POSITIVE_INFINITY), sample(4000, Double.POSITIVE_INFINITY),
                sample(5000, Double.NEGATIVE_INFINITY), sample(6000, 10.0), sample(7000, 10.2));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.VALUE_KIND_CHANGED, Reason.SUPPRESSED,
                Reason.VALUE_KIND_CHANGED, Reason.SUPPRESSED, Reason.VALUE_KIND_CHANGED, Reason.VALUE_KIND_CHANGED,
                Reason.SUPPRESSED);
        // after the non-numbers, the band is around the number sent last, not poisoned by NaN
        assertThat(run.state.lastSent().value()).isEqualTo(10.0);
    }

    @Test
    void nanWithPercentOfValueNeverPoisonsTheBand() {
        DeadbandSettings pct = new DeadbandSettings(BandMode.PERCENT_VALUE, 10.0, null, null, SILENCE, false);
        Run run = new Run().feed(pct, sample(0, Double.NaN), sample(1000, 5.0), sample(2000, 5.4), sample(3000, 6.0));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.VALUE_KIND_CHANGED, Reason.SUPPRESSED,
                Reason.OUTSIDE_BAND);
    }

    @Test
    void heartbeatAfterMaxSilenceSinceLastSent() {
        Run run = new Run().feed(ABS_HALF, sample(0, 10.0), sample(SILENCE - 1, 10.0), sample(SILENCE, 10.0),
                sample(SILENCE + 1000, 10.0), sample(2 * SILENCE, 10.0));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.HEARTBEAT, Reason.SUPPRESSED,
                Reason.HEARTBEAT);
        assertThat(run.out).extracting(r -> r.getTs().toEpochMilli()).containsExactly(0L, SILENCE, 2 * SILENCE);
    }

    @Test
    void heldSampleIsSentBeforeAJumpWhenConfigured() {
        DeadbandSettings withHeld = new DeadbandSettings(BandMode.ABSOLUTE, 0.5, null, null, SILENCE, true);
        Run run = new Run().feed(withHeld, sample(0, 10.0), sample(1000, 10.1), sample(2000, 10.2), sample(3000, 15.0),
                sample(4000, 15.0), sample(5000, 20.0));
        assertThat(run.out).extracting(r -> r.getTs().toEpochMilli()).containsExactly(0L, 2000L, 3000L, 4000L, 5000L);
        assertThat(run.out).extracting(Reading::getValue).containsExactly(10.0, 10.2, 15.0, 15.0, 20.0);
        // nothing held after a heartbeat or a jump
        assertThat(run.state.held()).isNull();

        Run without = new Run().feed(ABS_HALF, sample(0, 10.0), sample(1000, 10.1), sample(3000, 15.0));
        assertThat(without.out).extracting(Reading::getValue).containsExactly(10.0, 15.0);
    }

    @Test
    void heldSampleIsNotRepeatedOnAHeartbeat() {
        DeadbandSettings withHeld = new DeadbandSettings(BandMode.ABSOLUTE, 0.5, null, null, SILENCE, true);
        Run run = new Run().feed(withHeld, sample(0, 10.0), sample(1000, 10.1), sample(SILENCE, 10.2));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.HEARTBEAT);
        assertThat(run.out).extracting(Reading::getValue).containsExactly(10.0, 10.2);
    }

    @Test
    void clockGoingBackwardsPassesThroughAndNeverCorruptsState() {
        Run run = new Run().feed(ABS_HALF, sample(10_000, 10.0), sample(11_000, 10.1));
        DeadbandState before = run.state;
        run.feed(ABS_HALF, sample(5_000, 99.0), sample(11_000, 10.1));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.SUPPRESSED, Reason.OUT_OF_ORDER, Reason.OUT_OF_ORDER);
        assertThat(run.state).isEqualTo(before);
        // the band is still around 10.0 and the heartbeat still counts from 10 s
        run.feed(ABS_HALF, sample(12_000, 10.4), sample(10_000 + SILENCE, 10.0));
        assertThat(run.reasons.subList(4, 6)).containsExactly(Reason.SUPPRESSED, Reason.HEARTBEAT);
    }

    @Test
    void modeOffPassesEverything() {
        DeadbandSettings off = new DeadbandSettings(BandMode.OFF, 0, null, null, SILENCE, false);
        Run run = new Run().feed(off, sample(0, 1.0), sample(1000, 1.0), sample(2000, 1.0));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.DEADBAND_OFF, Reason.DEADBAND_OFF);
    }

    @Test
    void restartWithStateRestoredFromItsSerializedFormBehavesTheSame() {
        DeadbandSettings withHeld = new DeadbandSettings(BandMode.ABSOLUTE, 0.5, null, null, SILENCE, true);
        Reading[] before = {sample(0, 10.0), sample(1000, 10.3), sample(2000, 10.4, Quality.GOOD)};
        Reading[] after = {sample(3000, 10.45), sample(4000, 11.0), sample(5000, 11.1), sample(5000 + SILENCE, 11.1)};

        Run uninterrupted = new Run().feed(withHeld, before).feed(withHeld, after);

        Run restarted = new Run().feed(withHeld, before);
        byte[] stored = restarted.state.toBytes();
        restarted.state = DeadbandState.fromBytes(stored);
        assertThat(restarted.state.held()).isNotNull();
        restarted.feed(withHeld, after);

        assertThat(restarted.out).isEqualTo(uninterrupted.out);
        assertThat(restarted.reasons).isEqualTo(uninterrupted.reasons);
    }

    @Test
    void stateWithoutHeldSampleAndWithNullValueRoundTrips() {
        DeadbandState state = new DeadbandState(SentSample.of(sample(7, null, Quality.BAD)), null);
        assertThat(DeadbandState.fromBytes(state.toBytes())).isEqualTo(state);
        DeadbandState nan = new DeadbandState(SentSample.of(sample(7, Double.NaN)), sample(8, Double.NEGATIVE_INFINITY));
        DeadbandState restored = DeadbandState.fromBytes(nan.toBytes());
        assertThat(restored.lastSent().value()).isNaN();
        assertThat(restored.held().getValue()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void stateOfAnotherFormatOrSchemaIsRejectedNotMisread() {
        DeadbandState state = new DeadbandState(SentSample.of(sample(5, -2.5, Quality.UNCERTAIN)), null);
        byte[] bytes = state.toBytes();
        assertThat(DeadbandState.fromBytes(bytes)).isEqualTo(state);
        byte[] otherSchema = bytes.clone();
        otherSchema[3] ^= 1;
        assertThatThrownBy(() -> DeadbandState.fromBytes(otherSchema)).hasMessageContaining("another Reading schema");
        byte[] otherFormat = bytes.clone();
        otherFormat[0] = 9;
        assertThatThrownBy(() -> DeadbandState.fromBytes(otherFormat)).hasMessageContaining("format");
    }

    @Test
    void settingsRejectNonsense() {
        assertThatThrownBy(() -> new DeadbandSettings(BandMode.ABSOLUTE, -1, null, null, SILENCE, false))
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new DeadbandSettings(BandMode.ABSOLUTE, Double.NaN, null, null, SILENCE, false))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> new DeadbandSettings(BandMode.ABSOLUTE, 1, null, null, 0, false))
                .hasMessageContaining("max silence");
    }
}
