package io.tagstream.imputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagstream.imputation.GapFiller.Outcome;
import io.tagstream.imputation.GapFiller.Reason;
import io.tagstream.schema.Imputation;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;

class GapFillerTest {

    private static final GapSettings LOCF = new GapSettings(1000, 1.5, 10_000, Imputation.LOCF);
    private static final GapSettings LINEAR = new GapSettings(1000, 1.5, 10_000, Imputation.LINEAR);

    private static final class Run {
        GapState state;
        final List<Reason> reasons = new ArrayList<>();
        final List<Reading> out = new ArrayList<>();
        int imputed;

        Run feed(GapSettings settings, Reading... samples) {
            for (Reading sample : samples) {
                Outcome outcome = GapFiller.apply(state, sample, settings);
                reasons.add(outcome.reason());
                out.addAll(outcome.emitted());
                imputed += outcome.imputed();
                state = outcome.state();
            }
            return this;
        }

        List<Long> times() {
            return out.stream().map(r -> r.getTs().toEpochMilli()).toList();
        }
    }

    static Reading sample(long ts, Double value) {
        return sample(ts, value, Quality.GOOD);
    }

    static Reading sample(long ts, Double value, Quality quality) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("A1").setLine("L1").setDevice("PUMP01")
                .setTag("PRESS").setValue(value).setUnit("bar").setQuality(quality).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("modbus").build();
    }

    @Test
    void firstEverSampleIsForwarded() {
        Outcome outcome = GapFiller.apply(null, sample(5000, 1.0), LOCF);
        assertThat(outcome.reason()).isEqualTo(Reason.FIRST);
        assertThat(outcome.emitted()).containsExactly(sample(5000, 1.0));
        assertThat(outcome.state().lastTs()).isEqualTo(5000);
    }

    @Test
    void regularSamplesAndGapsUpToPeriodTimesToleranceAreNotFilled() {
        Run run = new Run().feed(LOCF, sample(0, 1.0), sample(1000, 2.0), sample(2500, 3.0));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.NO_GAP, Reason.NO_GAP);
        assertThat(run.imputed).isZero();
    }

    @Test
    void locfFillsTheExpectedGridWithFlaggedPoints() {
        Run run = new Run().feed(LOCF, sample(0, 1.0), sample(4200, 2.0));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.FILLED);
        assertThat(run.times()).containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 4200L);
        List<Reading> filled = run.out.subList(1, 5);
        assertThat(filled).allSatisfy(point -> {
            assertThat(point.getOrigin()).isEqualTo(Origin.IMPUTED);
            assertThat(point.getImputation()).isEqualTo(Imputation.LOCF);
            assertThat(point.getQuality()).isEqualTo(Quality.UNCERTAIN);
            assertThat(point.getValue()).isEqualTo(1.0);
            assertThat(point.getSource()).isEqualTo(GapFiller.SOURCE);
            assertThat(point.getSite()).isEqualTo("A1");
            assertThat(point.getUnit()).isEqualTo("bar");
        });
        assertThat(run.imputed).isEqualTo(4);
        // the real sample is forwarded as it came
        assertThat(run.out.get(5)).isEqualTo(sample(4200, 2.0));
    }

    @Test
    void linearInterpolatesBetweenTheEnds() {
        Run run = new Run().feed(LINEAR, sample(0, 10.0), sample(4000, 30.0));
        assertThat(run.times()).containsExactly(0L, 1000L, 2000L, 3000L, 4000L);
        assertThat(run.out).extracting(Reading::getValue).containsExactly(10.0, 15.0, 20.0, 25.0, 30.0);
        assertThat(run.out.get(2).getImputation()).isEqualTo(Imputation.LINEAR);
    }

    @Test
    void gapJustBelowMaxGapIsFilledAndFromMaxGapOnItStaysOpen() {
        Run below = new Run().feed(LOCF, sample(0, 1.0), sample(9_999, 1.0));
        assertThat(below.reasons).containsExactly(Reason.FIRST, Reason.FILLED);
        assertThat(below.imputed).isEqualTo(9);

        Run at = new Run().feed(LOCF, sample(0, 1.0), sample(10_000, 1.0));
        assertThat(at.reasons).containsExactly(Reason.FIRST, Reason.GAP_TOO_LONG);
        assertThat(at.imputed).isZero();

        Run above = new Run().feed(LOCF, sample(0, 1.0), sample(10_001, 1.0));
        assertThat(above.reasons).containsExactly(Reason.FIRST, Reason.GAP_TOO_LONG);
        assertThat(above.out).containsExactly(sample(0, 1.0), sample(10_001, 1.0));
    }

    @Test
    void gapJustAboveTheFillThresholdIsFilled() {
        Run atThreshold = new Run().feed(LOCF, sample(0, 1.0), sample(1500, 1.0));
        assertThat(atThreshold.reasons).containsExactly(Reason.FIRST, Reason.NO_GAP);
        Run above = new Run().feed(LOCF, sample(0, 1.0), sample(1501, 1.0));
        assertThat(above.reasons).containsExactly(Reason.FIRST, Reason.FILLED);
        assertThat(above.times()).containsExactly(0L, 1000L, 1501L);
    }

    @Test
    void neverFillsAcrossBadQuality() {
        Run badAfter = new Run().feed(LOCF, sample(0, 1.0), sample(5000, null, Quality.BAD));
        assertThat(badAfter.reasons).containsExactly(Reason.FIRST, Reason.NOT_FILLED_BAD_QUALITY);
        Run badBefore = new Run().feed(LOCF, sample(0, 1.0, Quality.BAD), sample(5000, 2.0));
        assertThat(badBefore.reasons).containsExactly(Reason.FIRST, Reason.NOT_FILLED_BAD_QUALITY);
        // a BAD sample with a value is still BAD
        Run badWithValue = new Run().feed(LINEAR, sample(0, 1.0), sample(5000, 2.0, Quality.BAD), sample(10_000 - 1, 2.0));
        assertThat(badWithValue.imputed).isZero();
    }

    @Test
    void uncertainEndsAreFilled() {
        Run run = new Run().feed(LOCF, sample(0, 1.0, Quality.UNCERTAIN), sample(3000, 2.0, Quality.UNCERTAIN));
        assertThat(run.imputed).isEqualTo(2);
    }

    @Test
    void nanAndInfinityAreNoBasisForAFill() {
        Run nanBefore = new Run().feed(LOCF, sample(0, Double.NaN), sample(3000, 2.0));
        assertThat(nanBefore.reasons).containsExactly(Reason.FIRST, Reason.NOT_FILLED_NO_NUMBER);
        Run infinityAfterLinear = new Run().feed(LINEAR, sample(0, 1.0), sample(3000, Double.POSITIVE_INFINITY));
        assertThat(infinityAfterLinear.reasons).containsExactly(Reason.FIRST, Reason.NOT_FILLED_NO_NUMBER);
        // LOCF only carries the value before the gap forward
        Run nanAfterLocf = new Run().feed(LOCF, sample(0, 1.0), sample(3000, Double.NaN));
        assertThat(nanAfterLocf.reasons).containsExactly(Reason.FIRST, Reason.FILLED);
        assertThat(nanAfterLocf.out.get(1).getValue()).isEqualTo(1.0);
        Run nullValue = new Run().feed(LOCF, sample(0, null, Quality.UNCERTAIN), sample(3000, 1.0, Quality.UNCERTAIN));
        assertThat(nullValue.reasons).containsExactly(Reason.FIRST, Reason.NOT_FILLED_NO_NUMBER);
    }

    @Test
    void lateAndDuplicateSamplesNeverCorruptState() {
        Run run = new Run().feed(LOCF, sample(10_000, 1.0), sample(11_000, 2.0));
        GapState before = run.state;
        run.feed(LOCF, sample(3_000, 9.0), sample(11_000, 2.0), sample(11_000, 7.0));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.NO_GAP, Reason.OUT_OF_ORDER, Reason.DUPLICATE,
                Reason.DUPLICATE);
        assertThat(run.state).isEqualTo(before);
        // the late sample passes through as it was; duplicates are dropped
        assertThat(run.times()).containsExactly(10_000L, 11_000L, 3_000L);
        // the next gap is still measured from 11 s, not from the late 3 s
        run.feed(LOCF, sample(14_000, 2.0));
        assertThat(run.times().subList(3, 6)).containsExactly(12_000L, 13_000L, 14_000L);
    }

    @Test
    void absurdConfigurationsDoNotFloodTheTopic() {
        GapSettings tiny = new GapSettings(1, 1.0, Long.MAX_VALUE, Imputation.LOCF);
        Run run = new Run().feed(tiny, sample(0, 1.0), sample(GapFiller.MAX_POINTS_PER_GAP + 2, 1.0));
        assertThat(run.reasons).containsExactly(Reason.FIRST, Reason.TOO_MANY_POINTS);
        Run justEnough = new Run().feed(tiny, sample(0, 1.0), sample(GapFiller.MAX_POINTS_PER_GAP + 1, 1.0));
        assertThat(justEnough.imputed).isEqualTo(GapFiller.MAX_POINTS_PER_GAP);
    }

    @Test
    void restartWithStateRestoredFromItsSerializedFormBehavesTheSame() {
        Reading[] before = {sample(0, 1.0), sample(1000, 2.0)};
        Reading[] after = {sample(4500, 5.5), sample(5000, 6.0), sample(5000, 6.0), sample(20_000, 1.0)};
        Run uninterrupted = new Run().feed(LINEAR, before).feed(LINEAR, after);
        Run restarted = new Run().feed(LINEAR, before);
        restarted.state = GapState.fromBytes(restarted.state.toBytes());
        restarted.feed(LINEAR, after);
        assertThat(restarted.out).isEqualTo(uninterrupted.out);
        assertThat(restarted.reasons).isEqualTo(uninterrupted.reasons);
        assertThat(restarted.imputed).isEqualTo(3);
    }

    @Test
    void stateWithNullValueRoundTrips() {
        GapState state = new GapState(sample(1, null, Quality.BAD));
        assertThat(GapState.fromBytes(state.toBytes())).isEqualTo(state);
        assertThatThrownBy(() -> GapState.fromBytes(new byte[] {9})).hasMessageContaining("format");
    }

    @Test
    void settingsRejectNonsense() {
        assertThatThrownBy(() -> new GapSettings(0, 1.5, 1000, Imputation.LOCF)).hasMessageContaining("period");
        assertThatThrownBy(() -> new GapSettings(1000, 0.5, 1000, Imputation.LOCF)).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> new GapSettings(1000, 1.5, 0, Imputation.LOCF)).hasMessageContaining("max gap");
    }
}
