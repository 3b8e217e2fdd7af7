package io.tagstream.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;

class TagWindowsTest {

    private static final long MIN = EpochWindows.MINUTE_MS;

    private static Reading reading(long ts, Double value, Quality quality, String unit) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("A1").setLine(null).setDevice("D")
                .setTag("T").setValue(value).setUnit(unit).setQuality(quality).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("test").build();
    }

    private static void add(TagWindows state, Reading reading) {
        state.add(reading, EpochWindows.minuteStart(reading.getTs().toEpochMilli()));
    }

    @Test
    void stateSurvivesSerializationWithOpenMinutesAnOpenHourAndTheCarry() {
        TagWindows state = TagWindows.of(reading(0, 1.0, Quality.GOOD, "bar"));
        add(state, reading(0, 1.0, Quality.GOOD, "bar"));
        add(state, reading(30_000, 2.0, Quality.GOOD, "bar"));
        add(state, reading(61_000, 3.0, Quality.GOOD, "bar"));
        add(state, reading(20_000, null, Quality.BAD, "bar")); // out of order
        List<WindowStats> closed = new ArrayList<>();
        state.closeThrough(MIN, 600_000, closed::add, closed::add);
        add(state, reading(125_000, Double.NaN, Quality.GOOD, "kPa"));
        add(state, reading(90_000, 4.0, Quality.UNCERTAIN, "kPa"));

        byte[] bytes = state.toBytes();
        TagWindows copy = TagWindows.fromBytes(bytes);
        assertThat(copy.toBytes()).isEqualTo(bytes);
        assertThat(copy.unit()).isEqualTo("kPa");
        assertThat(copy.line()).isNull();
        assertThat(copy.carry()).isEqualTo(state.carry());
        assertThat(copy.hour()).isEqualTo(state.hour());
        assertThat(copy.openMinutes()).hasSize(2);

        List<WindowStats> fromOriginal = new ArrayList<>();
        List<WindowStats> fromCopy = new ArrayList<>();
        state.closeThrough(EpochWindows.HOUR_MS, 600_000, fromOriginal::add, fromOriginal::add);
        copy.closeThrough(EpochWindows.HOUR_MS, 600_000, fromCopy::add, fromCopy::add);
        assertThat(fromCopy).isEqualTo(fromOriginal).hasSize(3); // minutes 1 and 2, the hour
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).badCount()).isEqualTo(1);
    }

    @Test
    void theClockAndTheClosedThroughTimeSurviveSerialization() {
        TagWindows state = TagWindows.of(reading(0, 1.0, Quality.GOOD, "bar"));
        assertThat(state.clock()).isEqualTo(Long.MIN_VALUE);
        assertThat(state.closedThrough()).isEqualTo(Long.MIN_VALUE);
        add(state, reading(10_000, 1.0, Quality.GOOD, "bar"));
        assertThat(state.advanceClock(10_000)).isTrue();
        add(state, reading(70_000, 2.0, Quality.GOOD, "bar"));
        assertThat(state.advanceClock(70_000)).isTrue();
        add(state, reading(65_000, 3.0, Quality.GOOD, "bar"));
        assertThat(state.advanceClock(65_000)).isFalse();
        state.closeThrough(70_000 - 5_000, 600_000, m -> { }, h -> { });
        assertThat(state.closedThrough()).isEqualTo(MIN); // a minute boundary
        assertThat(state.isClosed(0, Long.MIN_VALUE)).isTrue();
        assertThat(state.isClosed(MIN, Long.MIN_VALUE)).isFalse();
        assertThat(state.isClosed(MIN, 2 * MIN)).isTrue();
        byte[] first = state.toBytes();
        assertThat(state.advanceClock(80_000)).isTrue(); // the clock is not in the cached head
        TagWindows copy = TagWindows.fromBytes(state.toBytes());
        assertThat(copy.clock()).isEqualTo(80_000);
        assertThat(copy.closedThrough()).isEqualTo(MIN);
        assertThat(copy.isFormat1()).isFalse();
        assertThat(TagWindows.fromBytes(first).clock()).isEqualTo(70_000);
    }

    @Test
    void format1StatesAreReadAndMarkedForTheirClosedThroughTime() {
        TagWindows state = TagWindows.of(reading(0, 1.0, Quality.GOOD, "bar"));
        add(state, reading(10_000, 1.0, Quality.GOOD, "bar"));
        add(state, reading(70_000, 2.0, Quality.GOOD, "bar"));
        state.closeThrough(2 * MIN, 600_000, m -> { }, h -> { }); // the hour open, no minute open
        byte[] current = state.toBytes();
        // format 1: the same without closedThrough (end of the head) and the clock (before the minute count)
        byte[] format1 = java.util.Arrays.copyOf(current, current.length - 16);
        format1[0] = 1;
        java.nio.ByteBuffer.wrap(format1).putInt(format1.length - 4, 0);
        TagWindows old = TagWindows.fromBytes(format1);
        assertThat(old.isFormat1()).isTrue();
        assertThat(old.hour()).isEqualTo(state.hour());
        assertThat(old.carry()).isEqualTo(state.carry());
        assertThat(old.clock()).isEqualTo(Long.MIN_VALUE);
        assertThat(old.closedThrough()).isEqualTo(Long.MIN_VALUE);
        old.closedAtLeast(2 * MIN + 45_000);
        assertThat(old.isFormat1()).isFalse();
        assertThat(old.closedThrough()).isEqualTo(2 * MIN);
        assertThat(TagWindows.fromBytes(old.toBytes()).closedThrough()).isEqualTo(2 * MIN);
    }

    @Test
    void unknownFormatsAreRejected() {
        assertThatThrownBy(() -> TagWindows.fromBytes(new byte[] {9, 0, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThat(AggregationTopology.stateSerde().deserializer().deserialize("t", new byte[] {9})).isNull();
    }
}
