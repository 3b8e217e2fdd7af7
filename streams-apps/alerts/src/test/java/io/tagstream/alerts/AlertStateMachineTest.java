package io.tagstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagstream.schema.AlertKind;
import io.tagstream.schema.AlertState;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Severity;

class AlertStateMachineTest {

    private static final String KEY = "A1/PUMP01/PRESS";
    /** warning 10 / critical 12 high, warning 0 / critical -5 low; no delays, no hysteresis, stale and bad off. */
    private static final Thresholds LIMITS = new Thresholds("r1", 10.0, 12.0, 0.0, -5.0, 0.0, 0, 0, 0, -1,
            Severity.CRITICAL, Severity.WARNING);

    /** One tag fed through the machine; every transition is collected. */
    private static final class Tag {
        TagAlertState state = new TagAlertState();
        Thresholds thresholds;
        final List<AlertTransition> events = new ArrayList<>();

        Tag(Thresholds thresholds) {
            this.thresholds = thresholds;
        }

        List<AlertTransition> read(long ts, Double value) {
            return read(ts, value, Quality.GOOD);
        }

        List<AlertTransition> read(long ts, Double value, Quality quality) {
            return read(ts, value, quality, ts);
        }

        List<AlertTransition> read(long ts, Double value, Quality quality, long wall) {
            List<AlertTransition> out = AlertStateMachine.onReading(KEY, state, ts, value, quality, wall, thresholds);
            events.addAll(out);
            return out;
        }

        List<AlertTransition> tick(long wall) {
            List<AlertTransition> out = AlertStateMachine.onWallClock(KEY, state, wall, thresholds);
            events.addAll(out);
            return out;
        }

        List<String> summaries() {
            return events.stream().map(e -> e.summary() + "@" + e.ts()).toList();
        }
    }

    @Test
    void withoutHysteresisEveryCrossingOfTheLimitIsATransition() {
        Tag tag = new Tag(LIMITS);
        double[] values = {9.9, 10.1, 9.9, 10.1, 10.0, 10.1};
        for (int i = 0; i < values.length; i++) {
            tag.read(i * 1000L, values[i]);
        }
        // a value exactly on the limit is inside
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@1000", "CLEARED HIGH WARNING@2000",
                "RAISED HIGH WARNING@3000", "CLEARED HIGH WARNING@4000", "RAISED HIGH WARNING@5000");
        assertThat(tag.events.get(0).alertId()).isEqualTo(tag.events.get(1).alertId())
                .isNotEqualTo(tag.events.get(2).alertId());
        assertThat(tag.events.get(0).threshold()).isEqualTo(10.0);
        assertThat(tag.events.get(0).value()).isEqualTo(10.1);
        assertThat(tag.events.get(0).ruleId()).isEqualTo("r1");
        assertThat(tag.events.get(0).message()).contains("A1/PUMP01/PRESS", "HIGH", "10.1", "10");
    }

    @Test
    void hysteresisStopsTheFlappingUntilTheValueIsBackInsideLimitMinusHysteresis() {
        Tag tag = new Tag(LIMITS.withTiming(0.5, 0, 0));
        double[] values = {9.9, 10.1, 9.9, 10.1, 9.6, 10.2, 9.51, 9.5, 9.9, 10.0, 10.01};
        for (int i = 0; i < values.length; i++) {
            tag.read(i * 1000L, values[i]);
        }
        // raise needs the limit itself (10), clear needs 9.5 or below; on the line counts as inside
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@1000", "CLEARED HIGH WARNING@7000",
                "RAISED HIGH WARNING@10000");
    }

    @Test
    void hysteresisOnTheLowSideIsAbove() {
        Tag tag = new Tag(LIMITS.withTiming(0.5, 0, 0));
        double[] values = {1, -0.1, 0.1, 0.4, -0.2, 0.5};
        for (int i = 0; i < values.length; i++) {
            tag.read(i * 1000L, values[i]);
        }
        assertThat(tag.summaries()).containsExactly("RAISED LOW WARNING@1000", "CLEARED LOW WARNING@5000");
        assertThat(tag.events.get(0).threshold()).isEqualTo(0.0);
    }

    @Test
    void onDelayRaisesOnlyAfterTheLimitWasExceededContinuously() {
        Tag tag = new Tag(LIMITS.withTiming(0, 5000, 0));
        tag.read(0, 10.5);
        tag.read(2000, 10.5);
        tag.read(4000, 9.0);      // back inside: the run starts again
        tag.read(5000, 10.5);
        tag.read(9000, 10.6);     // 4 s
        assertThat(tag.events).isEmpty();
        tag.read(10_000, 10.7);   // 5 s
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@10000");
        assertThat(tag.events.get(0).raisedAt()).isEqualTo(10_000);
        assertThat(tag.events.get(0).value()).isEqualTo(10.7);
    }

    @Test
    void clearDelayClearsOnlyAfterTheValueWasBackContinuously() {
        Tag tag = new Tag(LIMITS.withTiming(0, 0, 3000));
        tag.read(0, 10.5);
        tag.read(1000, 9.0);
        tag.read(2000, 10.5);     // exceeded again: the clear run starts again
        tag.read(3000, 9.0);
        tag.read(5000, 9.0);      // 2 s
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@0");
        tag.read(6000, 9.0);      // 3 s
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@0", "CLEARED HIGH WARNING@6000");
    }

    @Test
    void escalatesAndDeEscalatesWithinOneEpisode() {
        Tag tag = new Tag(LIMITS);
        tag.read(0, 10.5);
        tag.read(1000, 12.5);
        tag.read(2000, 13.0);
        tag.read(3000, 11.0);
        tag.read(4000, 9.0);
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@0", "ESCALATED HIGH CRITICAL@1000",
                "DEESCALATED HIGH WARNING@3000", "CLEARED HIGH WARNING@4000");
        assertThat(tag.events).extracting(AlertTransition::alertId).containsOnly(tag.events.get(0).alertId());
        assertThat(tag.events).extracting(AlertTransition::raisedAt).containsOnly(0L);
        assertThat(tag.events).extracting(AlertTransition::threshold).containsExactly(10.0, 12.0, 10.0, 10.0);
    }

    @Test
    void aJumpStraightPastCriticalRaisesCriticalAndAFallBelowWarningClears() {
        Tag tag = new Tag(LIMITS.withTiming(0.5, 0, 0));
        tag.read(0, 13.0);
        tag.read(1000, 11.6);    // within hysteresis of critical: stays critical
        tag.read(2000, 11.5);    // on critical - hysteresis: de-escalates
        tag.read(3000, 12.1);    // beyond critical again: escalates
        tag.read(4000, 5.0);     // below warning - hysteresis: clears directly
        assertThat(tag.summaries()).containsExactly("RAISED HIGH CRITICAL@0", "DEESCALATED HIGH WARNING@2000",
                "ESCALATED HIGH CRITICAL@3000", "CLEARED HIGH CRITICAL@4000");
    }

    @Test
    void escalationWaitsForTheOnDelayOfTheCriticalLimit() {
        Tag tag = new Tag(LIMITS.withTiming(0, 2000, 0));
        tag.read(0, 10.5);
        tag.read(1000, 12.5);     // critical run starts at 1 s
        tag.read(2000, 12.5);     // warning run 2 s: raised as WARNING
        tag.read(2500, 12.5);
        tag.read(3000, 12.5);     // critical run 2 s: escalated
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@2000", "ESCALATED HIGH CRITICAL@3000");
    }

    @Test
    void fromHighStraightToLowClearsOneEpisodeAndRaisesAnother() {
        Tag tag = new Tag(LIMITS);
        tag.read(0, 11.0);
        tag.read(1000, -6.0);
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@0", "CLEARED HIGH WARNING@1000",
                "RAISED LOW CRITICAL@1000");
        assertThat(tag.events.get(2).alertId()).isNotEqualTo(tag.events.get(0).alertId());
        assertThat(tag.events.get(2).threshold()).isEqualTo(-5.0);
    }

    @Test
    void staleIsRaisedByTheWallClockOnceAndClearedByTheNextReading() {
        Tag tag = new Tag(LIMITS.withStaleAndBad(10_000, -1));
        tag.read(0, 5.0, Quality.GOOD, 100_000);
        assertThat(tag.tick(105_000)).isEmpty();
        assertThat(tag.tick(109_999)).isEmpty();
        assertThat(tag.tick(110_000)).extracting(AlertTransition::summary).containsExactly("RAISED STALE CRITICAL");
        assertThat(tag.tick(120_000)).isEmpty();
        assertThat(tag.tick(500_000)).isEmpty();
        tag.read(1000, 5.0, Quality.GOOD, 600_000);
        assertThat(tag.summaries()).containsExactly("RAISED STALE CRITICAL@110000", "CLEARED STALE CRITICAL@600000");
        // the id derives from when data was last seen: the same whenever the tick comes
        assertThat(tag.events.get(0).alertId()).isEqualTo(Episode.id(KEY, AlertKind.STALE, 100_000))
                .isEqualTo(tag.events.get(1).alertId());
        assertThat(tag.events.get(1).raisedAt()).isEqualTo(110_000);
        // and it can go stale again
        assertThat(tag.tick(610_000)).extracting(AlertTransition::summary).containsExactly("RAISED STALE CRITICAL");
    }

    @Test
    void staleIsNotCheckedWhenOffOrBeforeAnyReading() {
        Tag off = new Tag(LIMITS);
        off.read(0, 5.0);
        assertThat(off.tick(10_000_000)).isEmpty();
        Tag never = new Tag(LIMITS.withStaleAndBad(1000, -1));
        assertThat(never.tick(10_000_000)).isEmpty();
    }

    @Test
    void badQualityIsRaisedWhenBadForTheDelayAndClearedWhenGoodAgain() {
        Tag tag = new Tag(LIMITS.withStaleAndBad(0, 3000).withTiming(0, 0, 2000));
        tag.read(0, null, Quality.BAD);
        tag.read(1000, null, Quality.BAD);
        tag.read(2000, 5.0, Quality.GOOD);   // interrupts the bad run
        tag.read(3000, null, Quality.BAD);
        tag.read(5000, null, Quality.BAD);
        assertThat(tag.events).isEmpty();
        tag.read(6000, null, Quality.BAD);   // 3 s bad
        tag.read(7000, null, Quality.BAD);
        tag.read(8000, 5.0, Quality.UNCERTAIN);
        tag.read(9000, null, Quality.BAD);   // bad again before the clear delay: stays raised
        tag.read(10_000, 5.0, Quality.GOOD);
        tag.read(11_000, 5.0, Quality.GOOD);
        tag.read(12_000, 5.0, Quality.GOOD); // good for 2 s
        assertThat(tag.summaries()).containsExactly("RAISED BAD_QUALITY WARNING@6000", "CLEARED BAD_QUALITY WARNING@12000");
        assertThat(tag.events.get(1).alertId()).isEqualTo(tag.events.get(0).alertId());
    }

    @Test
    void badReadingsLeaveTheValueLimitsAsTheyAre() {
        Tag tag = new Tag(LIMITS);
        tag.read(0, 11.0);
        tag.read(1000, null, Quality.BAD);
        tag.read(2000, 3.0, Quality.BAD);
        tag.read(3000, Double.NaN, Quality.GOOD);
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@0");
        tag.read(4000, 3.0, Quality.GOOD);
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@0", "CLEARED HIGH WARNING@4000");
    }

    @Test
    void aThresholdChangedMidEpisodeAppliesToTheNextReading() {
        Tag tag = new Tag(LIMITS);
        tag.read(0, 10.5);
        tag.thresholds = LIMITS.withLimits("r2", 11.0, 12.0, 0.0, -5.0);   // raised above the value
        tag.read(1000, 10.5);
        tag.thresholds = LIMITS.withLimits("r3", 10.2, 10.4, 0.0, -5.0);   // lowered below it: critical
        tag.read(2000, 10.5);
        tag.thresholds = LIMITS.withLimits("r4", null, null, null, null);   // limits removed
        tag.read(3000, 10.5);
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@0", "CLEARED HIGH WARNING@1000",
                "RAISED HIGH CRITICAL@2000", "CLEARED HIGH CRITICAL@3000");
        assertThat(tag.events).extracting(AlertTransition::ruleId).containsExactly("r1", "r2", "r3", "r4");
        assertThat(tag.events.get(1).threshold()).isEqualTo(11.0);
        assertThat(tag.events.get(3).threshold()).isNull();
        assertThat(tag.events.get(3).message()).contains("removed");
    }

    @Test
    void aRuleChangeMidEpisodeCanEscalate() {
        Tag tag = new Tag(LIMITS);
        tag.read(0, 11.0);
        tag.thresholds = LIMITS.withLimits("r2", 10.0, 10.8, 0.0, -5.0);
        tag.read(1000, 11.0);
        assertThat(tag.summaries()).containsExactly("RAISED HIGH WARNING@0", "ESCALATED HIGH CRITICAL@1000");
    }

    @Test
    void replayedAndOutOfOrderReadingsChangeNothing() {
        Tag tag = new Tag(LIMITS);
        tag.read(0, 11.0);
        tag.read(1000, 9.0);
        byte[] before = tag.state.toBytes();
        assertThat(tag.read(1000, 11.0)).isEmpty();   // same timestamp: duplicate
        assertThat(tag.read(0, 11.0)).isEmpty();      // replay
        assertThat(tag.state.toBytes()).isEqualTo(before);
        assertThat(AlertStateMachine.isOutOfOrder(tag.state, 1000)).isTrue();
        assertThat(AlertStateMachine.isOutOfOrder(tag.state, 1001)).isFalse();
    }

    @Test
    void theSameInputGivesTheSameAlertIds() {
        Tag first = new Tag(LIMITS);
        Tag second = new Tag(LIMITS);
        for (Tag tag : List.of(first, second)) {
            tag.read(5000, 12.5);
            tag.read(6000, 9.0);
        }
        assertThat(first.events).extracting(AlertTransition::alertId)
                .containsExactlyElementsOf(second.events.stream().map(AlertTransition::alertId).toList());
        assertThat(first.events.get(0).alertId()).isEqualTo(Episode.id(KEY, AlertKind.HIGH, 5000));
    }

    @Test
    void theStoredStateContinuesTheEpisode() {
        Tag tag = new Tag(LIMITS.withTiming(0.5, 1000, 1000).withStaleAndBad(60_000, 0));
        tag.read(0, 10.5);
        tag.read(1000, 12.5);
        tag.read(1500, null, Quality.BAD);
        tag.state.line = "LINE1";
        TagAlertState restored = TagAlertState.fromBytes(tag.state.toBytes());
        assertThat(restored.toBytes()).isEqualTo(tag.state.toBytes());
        assertThat(restored.limitEpisode()).isEqualTo(tag.state.limitEpisode());
        assertThat(restored.badQualityEpisode()).isEqualTo(tag.state.badQualityEpisode());
        assertThat(restored.line()).isEqualTo("LINE1");

        Tag continued = new Tag(tag.thresholds);
        continued.state = restored;
        tag.read(2500, 9.0);
        tag.read(3500, 9.0);
        continued.read(2500, 9.0);
        continued.read(3500, 9.0);
        assertThat(continued.events).isEqualTo(tag.events.subList(tag.events.size() - continued.events.size(), tag.events.size()));
        assertThat(continued.summaries()).containsExactly("CLEARED BAD_QUALITY WARNING@3500", "CLEARED HIGH WARNING@3500");
    }

    @Test
    void unreadableStateIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TagAlertState.fromBytes(new byte[] {9, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TagAlertState.fromBytes(new byte[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transitionsCarryTheirState() {
        Tag tag = new Tag(LIMITS);
        tag.read(0, 11.0);
        assertThat(tag.events.get(0).state()).isEqualTo(AlertState.RAISED);
        assertThat(tag.events.get(0).kind()).isEqualTo(AlertKind.HIGH);
    }
}
