package io.tagstream.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tagstream.schema.Aggregate;
import io.tagstream.schema.Imputation;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.DeadLetters;
import io.tagstream.streams.common.PlainAvroSerde;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

class AggregationTopologyTest {

    private static final String IN = "telemetry.clean";
    private static final String OUT_1M = "telemetry.agg.1m";
    private static final String OUT_1H = "telemetry.agg.1h";
    private static final String LATE = "telemetry.late";
    private static final String DLQ = "dlq.aggregation";
    private static final String APP = "tagstream-aggregation";
    /** An hour boundary (2025-11-24T16:00:00Z). */
    private static final long T0 = 1_764_000_000_000L;
    private static final long MIN = EpochWindows.MINUTE_MS;
    private static final long HOUR = EpochWindows.HOUR_MS;

    @TempDir
    Path stateDir;

    private final Serde<Reading> readingSerde = PlainAvroSerde.of(Reading.class);
    private final Serde<Aggregate> aggregateSerde = PlainAvroSerde.of(Aggregate.class);
    private AggregationMetrics metrics;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Reading> input;
    private TestOutputTopic<String, Aggregate> minutes;
    private TestOutputTopic<String, Aggregate> hours;
    private TestOutputTopic<String, Reading> late;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private AggregationConfig config(Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
        values.put(StreamsAppConfig.REGISTRY_URL, "http://127.0.0.1:9/apis/registry/v2");
        values.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        values.putAll(extra);
        return new AggregationConfig(values);
    }

    private void start(Map<String, Object> extra) {
        start(WindowClock.TAG, extra);
    }

    private void start(WindowClock clock, Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>(extra);
        values.put(AggregationConfig.WINDOW_CLOCK, clock.configValue());
        AggregationConfig config = config(values);
        assertThat(config.settings().clock()).isEqualTo(clock);
        metrics = new AggregationMetrics();
        driver = new TopologyTestDriver(AggregationTopology.build(config.topics(), readingSerde, aggregateSerde,
                config.settings(), metrics), StreamsAppRunner.streamsProperties(config, metrics.app()));
        input = driver.createInputTopic(IN, new StringSerializer(), readingSerde.serializer());
        minutes = driver.createOutputTopic(OUT_1M, new StringDeserializer(), aggregateSerde.deserializer());
        hours = driver.createOutputTopic(OUT_1H, new StringDeserializer(), aggregateSerde.deserializer());
        late = driver.createOutputTopic(LATE, new StringDeserializer(), readingSerde.deserializer());
    }

    private static Reading reading(String tag, long ts, Double value, Quality quality, Origin origin) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("A1").setLine("L1").setDevice("PUMP01")
                .setTag(tag).setValue(value).setUnit("bar").setQuality(quality).setOrigin(origin)
                .setImputation(origin == Origin.IMPUTED ? Imputation.LOCF : null).setSource("test").build();
    }

    private void send(Reading reading) {
        input.pipeInput("A1/PUMP01/" + reading.getTag(), reading, reading.getTs().toEpochMilli());
    }

    private void send(String tag, long ts, double value) {
        send(reading(tag, ts, value, Quality.GOOD, Origin.MEASURED));
    }

    private static String header(TestRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void aMinuteIsEmittedOnceWhenTheClockPassesItsEndPlusGrace(WindowClock clock) {
        start(clock, Map.of());
        send("PRESS", T0, 1.0);
        send("PRESS", T0 + 30_000, 3.0);
        send("PRESS", T0 + 61_000, 5.0);
        send("PRESS", T0 + 89_999, 5.0);
        send("PRESS", T0 + 50_000, 2.0); // out of order, inside the grace: still counts
        assertThat(minutes.isEmpty()).isTrue();

        send("PRESS", T0 + 90_000, 6.0);
        List<TestRecord<String, Aggregate>> closed = minutes.readRecordsToList();
        assertThat(closed).hasSize(1);
        TestRecord<String, Aggregate> record = closed.get(0);
        assertThat(record.key()).isEqualTo("A1/PUMP01/PRESS");
        assertThat(record.timestamp()).isEqualTo(T0);
        Aggregate minute = record.value();
        assertThat(minute.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(minute.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + MIN));
        assertThat(minute.getCount()).isEqualTo(3);
        assertThat(minute.getImputedCount()).isZero();
        assertThat(minute.getBadCount()).isZero();
        assertThat(minute.getMin()).isEqualTo(1.0);
        assertThat(minute.getMax()).isEqualTo(3.0);
        assertThat(minute.getSum()).isEqualTo(6.0);
        assertThat(minute.getAvg()).isEqualTo(2.0);
        assertThat(minute.getFirst()).isEqualTo(1.0);
        assertThat(minute.getLast()).isEqualTo(2.0); // latest by measurement time, not by arrival
        assertThat(minute.getStddev()).isCloseTo(Math.sqrt(2.0 / 3), within(1e-15));
        // 1 for 30 s, 3 for 20 s, 2 for 10 s
        assertThat(minute.getTwa()).isCloseTo(110.0 / 60, within(1e-15));
        assertThat(minute.getUnit()).isEqualTo("bar");
        assertThat(minute.getLine()).isEqualTo("L1");

        send("PRESS", T0 + 95_000, 6.0);
        assertThat(minutes.isEmpty()).isTrue();
        assertThat(hours.isEmpty()).isTrue();
        assertThat(metrics.minuteAggregateCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void theGraceIsConfigurable(WindowClock clock) {
        start(clock, Map.of(AggregationConfig.GRACE_MS, "0"));
        send("PRESS", T0 + 59_999, 1.0);
        send("PRESS", T0 + MIN, 2.0); // stream time at the minute's end: closed, no grace
        assertThat(minutes.readValuesToList()).extracting(Aggregate::getCount).containsExactly(1L);
        send("PRESS", T0 + 59_000, 3.0);
        assertThat(late.readValuesToList()).extracting(Reading::getValue).containsExactly(3.0);

        close();
        start(clock, Map.of(AggregationConfig.GRACE_MS, "120000"));
        send("PRESS", T0, 1.0);
        send("PRESS", T0 + 3 * MIN - 1, 2.0);
        send("PRESS", T0 + 1_000, 3.0); // two minutes late, still inside the grace
        assertThat(minutes.isEmpty()).isTrue();
        send("PRESS", T0 + 3 * MIN, 4.0);
        assertThat(minutes.readValuesToList()).extracting(Aggregate::getCount).containsExactly(2L);
        assertThat(late.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void readingsLaterThanTheGraceGoToTheLateTopicWithTheirReasonAndTouchNothing(WindowClock clock) {
        start(clock, Map.of());
        send("PRESS", T0, 1.0);
        send("PRESS", T0 + 50_000, 2.0);
        send("PRESS", T0 + 61_000, 5.0);
        send("PRESS", T0 + 90_000, 5.0); // closes minute 0
        assertThat(minutes.readValuesToList()).hasSize(1);

        Reading tooLate = reading("PRESS", T0 + 10_000, 100.0, Quality.GOOD, Origin.MEASURED);
        send(tooLate);
        List<TestRecord<String, Reading>> lateRecords = late.readRecordsToList();
        assertThat(lateRecords).hasSize(1);
        TestRecord<String, Reading> record = lateRecords.get(0);
        assertThat(record.key()).isEqualTo("A1/PUMP01/PRESS");
        assertThat(record.value()).isEqualTo(tooLate);
        assertThat(header(record, LateReadings.HEADER_REASON)).isEqualTo(LateReadings.REASON_WINDOW_CLOSED);
        assertThat(header(record, LateReadings.HEADER_WINDOW_START)).isEqualTo(Long.toString(T0));
        assertThat(header(record, LateReadings.HEADER_WINDOW_END)).isEqualTo(Long.toString(T0 + MIN));
        assertThat(header(record, LateReadings.HEADER_STREAM_TIME)).isEqualTo(Long.toString(T0 + 90_000));
        assertThat(header(record, LateReadings.HEADER_CLOCK)).isEqualTo(clock.configValue());
        assertThat(header(record, LateReadings.HEADER_GRACE_MS)).isEqualTo("30000");
        assertThat(header(record, LateReadings.HEADER_APPLICATION)).isEqualTo(APP);
        assertThat(header(record, LateReadings.HEADER_TOPIC)).isEqualTo(IN);
        assertThat(header(record, LateReadings.HEADER_OFFSET)).isEqualTo("4");
        assertThat(metrics.lateCount()).isEqualTo(1);
        assertThat(minutes.isEmpty()).isTrue();

        // minute 1 starts with minute 0's last value (2.0) in force, not the late 100: 2 for 1 s, 5 for 59 s
        send("PRESS", T0 + 150_000, 5.0);
        Aggregate minute1 = minutes.readValue();
        assertThat(minute1.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0 + MIN));
        assertThat(minute1.getTwa()).isCloseTo((2.0 * 1 + 5.0 * 59) / 60, within(1e-12));
        assertThat(minute1.getCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void badSamplesAreCountedButNotAveragedAndImputedOnesAreCountedSeparately(WindowClock clock) {
        start(clock, Map.of());
        send("FLOW", T0, 10.0);
        send(reading("FLOW", T0 + 20_000, 999.0, Quality.BAD, Origin.MEASURED));
        send(reading("FLOW", T0 + 40_000, 30.0, Quality.UNCERTAIN, Origin.IMPUTED));
        send(reading("FLOW", T0 + 45_000, null, Quality.GOOD, Origin.MEASURED));
        send("FLOW", T0 + 2 * MIN, 1.0);
        Aggregate minute = minutes.readValue();
        assertThat(minute.getCount()).isEqualTo(4);
        assertThat(minute.getBadCount()).isEqualTo(1);
        assertThat(minute.getImputedCount()).isEqualTo(1);
        assertThat(minute.getMin()).isEqualTo(10.0);
        assertThat(minute.getMax()).isEqualTo(30.0);
        assertThat(minute.getAvg()).isEqualTo(20.0);
        // 10 for 20 s, unknown (BAD) for 20 s, 30 for 5 s, unknown (no value) for 15 s
        assertThat(minute.getTwa()).isCloseTo((10.0 * 20 + 30.0 * 5) / 25, within(1e-12));
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void aWindowWithoutUsableValuesHasCountsButNoValueStatistics(WindowClock clock) {
        start(clock, Map.of());
        send(reading("FLOW", T0 + 5_000, null, Quality.BAD, Origin.MEASURED));
        send("FLOW", T0 + 2 * MIN, 1.0);
        Aggregate minute = minutes.readValue();
        assertThat(minute.getCount()).isEqualTo(1);
        assertThat(minute.getBadCount()).isEqualTo(1);
        assertThat(minute.getMin()).isNull();
        assertThat(minute.getAvg()).isNull();
        assertThat(minute.getStddev()).isNull();
        assertThat(minute.getTwa()).isNull();
        assertThat(minute.getSum()).isEqualTo(0.0);
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void theHourRolledUpFromItsMinutesEqualsTheHourComputedFromTheReadings(WindowClock clock) {
        start(clock, Map.of());
        Random random = new Random(5);
        List<Reading> readings = new ArrayList<>();
        String[] tags = {"PRESS", "TEMP", "FLOW"};
        for (int t = 0; t < tags.length; t++) {
            long ts = T0 + random.nextInt(5_000);
            while (ts < T0 + 2 * HOUR) {
                if (t == 2 && ts >= T0 + 80 * MIN && ts < T0 + 95 * MIN) {
                    ts += 1_000; // FLOW is silent for 15 minutes, longer than the 10-minute max step
                    continue;
                }
                double roll = random.nextDouble();
                Quality quality = roll < 0.05 ? Quality.BAD : Quality.GOOD;
                Origin origin = roll > 0.9 ? Origin.IMPUTED : Origin.MEASURED;
                double value = (t == 0 ? 1e9 : 20.0 * t) + random.nextGaussian() * 3;
                readings.add(reading(tags[t], ts, value, quality, origin));
                ts += 500 + random.nextInt(6_000);
            }
        }
        readings.sort((a, b) -> a.getTs().compareTo(b.getTs()));
        // some readings arrive up to 10 s out of order (the grace is 30 s)
        for (int i = 0; i + 1 < readings.size(); i++) {
            if (random.nextInt(20) == 0 && readings.get(i + 1).getTs().toEpochMilli() - readings.get(i).getTs().toEpochMilli() < 10_000) {
                Reading swapped = readings.get(i);
                readings.set(i, readings.get(i + 1));
                readings.set(i + 1, swapped);
            }
        }
        for (Reading reading : readings) {
            send(reading);
        }
        // the clock at the last minute's end + grace: both hours final; just before it the second is not. The
        // partition clock moves with any tag; the tag clock only with the tag's own readings (after the hours)
        advance(clock, T0 + 2 * HOUR + 29_999, tags);
        List<Aggregate> hourly = hours.readValuesToList();
        assertThat(hourly).extracting(Aggregate::getTag).containsOnly(tags).hasSize(3);
        advance(clock, T0 + 2 * HOUR + 30_000, tags);
        hourly.addAll(hours.readValuesToList());
        List<Aggregate> perMinute = minutes.readValuesToList();
        assertThat(metrics.lateCount()).isZero();

        for (String tag : tags) {
            Step carry = Step.NONE;
            for (int h = 0; h < 2; h++) {
                long hourStart = T0 + h * HOUR;
                WindowStats.Accumulator direct = new WindowStats.Accumulator(hourStart, carry, 600_000);
                readings.stream().filter(r -> r.getTag().equals(tag) && r.getTs().toEpochMilli() >= hourStart
                                && r.getTs().toEpochMilli() < hourStart + HOUR)
                        .sorted((a, b) -> a.getTs().compareTo(b.getTs()))
                        .forEach(r -> direct.add(r.getTs().toEpochMilli(), r.getValue(), r.getOrigin() == Origin.IMPUTED,
                                r.getQuality() == Quality.BAD));
                WindowStats expected = direct.closeAt(hourStart + HOUR);
                carry = expected.endStep();
                List<Aggregate> found = hourly.stream().filter(a -> a.getTag().equals(tag)
                        && a.getWindowStart().toEpochMilli() == hourStart).toList();
                assertThat(found).as("%s hour %d", tag, h).hasSize(1);
                Aggregate hour = found.get(0);
                assertThat(hour.getWindowEnd().toEpochMilli()).isEqualTo(hourStart + HOUR);
                assertThat(hour.getCount()).isEqualTo(expected.count());
                assertThat(hour.getImputedCount()).isEqualTo(expected.imputedCount());
                assertThat(hour.getBadCount()).isEqualTo(expected.badCount());
                assertThat(hour.getMin()).isEqualTo(expected.min());
                assertThat(hour.getMax()).isEqualTo(expected.max());
                assertThat(hour.getFirst()).isEqualTo(expected.first());
                assertThat(hour.getLast()).isEqualTo(expected.last());
                assertThat(hour.getSum()).isCloseTo(expected.sum().value(), within(1e-12 * Math.abs(expected.sum().value())));
                assertThat(hour.getAvg()).isCloseTo(expected.mean(), within(1e-12 * Math.abs(expected.mean())));
                assertThat(hour.getStddev()).isCloseTo(expected.stddev(), within(1e-7 * expected.stddev()));
                assertThat(hour.getTwa()).isCloseTo(expected.timeWeightedAverage(),
                        within(1e-12 * Math.abs(expected.timeWeightedAverage())));
                // and the minutes of the hour add up to it, one record per minute with readings
                List<Aggregate> ofHour = perMinute.stream().filter(a -> a.getTag().equals(tag)
                        && a.getWindowStart().toEpochMilli() >= hourStart
                        && a.getWindowStart().toEpochMilli() < hourStart + HOUR).toList();
                assertThat(ofHour.stream().mapToLong(Aggregate::getCount).sum()).isEqualTo(hour.getCount());
                assertThat(ofHour.stream().map(Aggregate::getWindowStart).distinct().count()).isEqualTo(ofHour.size());
            }
        }
        assertThat(metrics.hourAggregateCount()).isEqualTo(6);
    }

    /** Moves the clock of the given tags to {@code ts}: one reading on another tag, or one per tag. */
    private void advance(WindowClock clock, long ts, String... tags) {
        if (clock == WindowClock.PARTITION) {
            send("CLOCK", ts, 0.0);
        } else {
            for (String tag : tags) {
                send(reading(tag, ts, null, Quality.BAD, Origin.MEASURED)); // no value: changes no average
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void aRestartMidWindowContinuesFromTheChangelogAndNeverReopensAnEmittedWindow(WindowClock clock) {
        List<Reading> before = List.of(reading("PRESS", T0, 1.0, Quality.GOOD, Origin.MEASURED),
                reading("PRESS", T0 + 40_000, 2.0, Quality.GOOD, Origin.MEASURED),
                reading("PRESS", T0 + 70_000, 3.0, Quality.GOOD, Origin.MEASURED),
                reading("PRESS", T0 + 95_000, 4.0, Quality.GOOD, Origin.MEASURED),   // closes minute 0; minute 1 open
                // RAIN, on the same partition, two hours behind PRESS (a source that delivers late by design)
                reading("RAIN", T0 - 2 * HOUR + 5_000, 1.0, Quality.GOOD, Origin.MEASURED),
                reading("RAIN", T0 - 2 * HOUR + 95_000, 2.0, Quality.GOOD, Origin.MEASURED)); // tag clock: closes its minute 0
        List<Reading> after = List.of(reading("PRESS", T0 + 10_000, 9.0, Quality.GOOD, Origin.MEASURED), // late
                reading("PRESS", T0 + 80_000, 5.0, Quality.GOOD, Origin.MEASURED),   // out of order, minute 1
                reading("PRESS", T0 + 130_000, 6.0, Quality.GOOD, Origin.MEASURED),
                reading("PRESS", T0 + 3 * MIN + 30_000, 7.0, Quality.GOOD, Origin.MEASURED),
                reading("RAIN", T0 - 2 * HOUR + 10_000, 90.0, Quality.GOOD, Origin.MEASURED), // late on either clock
                reading("RAIN", T0 - 2 * HOUR + 100_000, 3.0, Quality.GOOD, Origin.MEASURED),
                reading("RAIN", T0 - 2 * HOUR + 3 * MIN, 4.0, Quality.GOOD, Origin.MEASURED)); // tag clock: closes minute 1

        // without a restart
        start(clock, Map.of());
        before.forEach(this::send);
        after.forEach(this::send);
        List<Aggregate> uninterrupted = minutes.readValuesToList();
        assertThat(uninterrupted).hasSize(clock == WindowClock.TAG ? 5 : 3);
        driver.close();

        // with one after `before`: the state a new instance restores from the changelog topics
        start(clock, Map.of(StreamsAppConfig.APPLICATION_ID, "restart-test"));
        before.forEach(this::send);
        List<Aggregate> emitted = new ArrayList<>(minutes.readValuesToList());
        Map<String, byte[]> windows = lastValues("restart-test-" + AggregationTopology.STORE + "-changelog");
        Map<String, byte[]> streamTime = lastValues("restart-test-" + AggregationTopology.STREAM_TIME_STORE + "-changelog");
        assertThat(windows).containsKey("A1/PUMP01/PRESS");
        assertThat(streamTime).containsKey(WindowAggregationProcessor.STREAM_TIME_KEY);
        driver.close();

        start(clock, Map.of(StreamsAppConfig.APPLICATION_ID, "restart-test"));
        KeyValueStore<String, TagWindows> windowStore = driver.getKeyValueStore(AggregationTopology.STORE);
        KeyValueStore<String, Long> streamTimeStore = driver.getKeyValueStore(AggregationTopology.STREAM_TIME_STORE);
        // the test driver wipes its state directory on close, so the restore from the changelog is done here
        assertThat(windowStore.approximateNumEntries()).isZero();
        windows.forEach((key, bytes) -> windowStore.put(key, AggregationTopology.stateSerde().deserializer().deserialize("", bytes)));
        streamTime.forEach((key, bytes) -> streamTimeStore.put(key,
                org.apache.kafka.common.serialization.Serdes.Long().deserializer().deserialize("", bytes)));
        after.forEach(this::send);
        emitted.addAll(minutes.readValuesToList());

        assertThat(emitted).isEqualTo(uninterrupted);
        List<Aggregate> press = emitted.stream().filter(a -> a.getTag().equals("PRESS")).toList();
        assertThat(press).hasSize(3);
        // minute 1: 2 in force for 10 s, 3 for 10 s, 5 for 15 s, 4 for 25 s
        assertThat(press.get(1).getTwa()).isCloseTo((2.0 * 10 + 3 * 10 + 5 * 15 + 4 * 25) / 60, within(1e-12));
        assertThat(press.get(1).getCount()).isEqualTo(3);
        List<Aggregate> rain = emitted.stream().filter(a -> a.getTag().equals("RAIN")).toList();
        if (clock == WindowClock.TAG) {
            // its own clock, restored with its state: minute 0 emitted before the restart, not reopened after it
            assertThat(late.readValuesToList()).extracting(Reading::getValue).containsExactly(9.0, 90.0);
            assertThat(rain).extracting(a -> a.getWindowStart().toEpochMilli())
                    .containsExactly(T0 - 2 * HOUR, T0 - 2 * HOUR + MIN);
            assertThat(rain).extracting(Aggregate::getCount).containsExactly(1L, 2L);
            // minute 1: 1 carried for 35 s, 2 for 5 s, 3 for 20 s
            assertThat(rain.get(1).getTwa()).isCloseTo((1.0 * 35 + 2 * 5 + 3 * 20) / 60, within(1e-12));
        } else {
            // behind the partition's stream time: every reading of RAIN is late (the first two before the restart)
            assertThat(late.readValuesToList()).extracting(Reading::getValue).containsExactly(9.0, 90.0, 3.0, 4.0);
            assertThat(rain).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void aTagBehindTheOthersOfItsPartitionIsAggregatedOnItsOwnClockAndLateOnThePartitions(WindowClock clock) {
        start(clock, Map.of());
        // PRESS is live; RAIN (same partition: the test driver has one) delivers two hours late, interleaved
        for (int i = 0; i < 18; i++) {
            send("PRESS", T0 + 2 * HOUR + i * 10_000L, i);
            send("RAIN", T0 + i * 10_000L, 100.0 + i);
        }
        // RAIN's next row, an hour on: closes its last minute and its hour on its own clock
        send("RAIN", T0 + HOUR + 30_000, 200.0);

        List<Aggregate> perMinute = minutes.readValuesToList();
        List<Aggregate> pressMinutes = perMinute.stream().filter(a -> a.getTag().equals("PRESS")).toList();
        List<Aggregate> rainMinutes = perMinute.stream().filter(a -> a.getTag().equals("RAIN")).toList();
        // PRESS is the same on either clock: its minutes 0 and 1 closed by 2 h + 170 s, minute 2 open
        assertThat(pressMinutes).extracting(a -> a.getWindowStart().toEpochMilli())
                .containsExactly(T0 + 2 * HOUR, T0 + 2 * HOUR + MIN);
        assertThat(pressMinutes).extracting(Aggregate::getCount).containsExactly(6L, 6L);
        if (clock == WindowClock.TAG) {
            assertThat(late.isEmpty()).isTrue();
            assertThat(metrics.lateCount()).isZero();
            assertThat(rainMinutes).extracting(a -> a.getWindowStart().toEpochMilli())
                    .containsExactly(T0, T0 + MIN, T0 + 2 * MIN);
            assertThat(rainMinutes).extracting(Aggregate::getCount).containsExactly(6L, 6L, 6L);
            assertThat(rainMinutes.get(0).getAvg()).isEqualTo(102.5);
            List<Aggregate> hourly = hours.readValuesToList();
            assertThat(hourly).extracting(Aggregate::getTag).containsExactly("RAIN");
            assertThat(hourly.get(0).getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0));
            assertThat(hourly.get(0).getCount()).isEqualTo(18);
            assertThat(hourly.get(0).getMax()).isEqualTo(117.0);
            // a reading of RAIN older than its own clock allows is late, with the tag's clock in the headers
            send("RAIN", T0 + HOUR + 5_000 - 2 * MIN, 1.0);
            TestRecord<String, Reading> lateOne = late.readRecord();
            assertThat(header(lateOne, LateReadings.HEADER_CLOCK)).isEqualTo("tag");
            assertThat(header(lateOne, LateReadings.HEADER_STREAM_TIME)).isEqualTo(Long.toString(T0 + HOUR + 30_000));
            // ... while PRESS's clock is still its own: its open minute 2 takes a reading 20 s out of order
            send("PRESS", T0 + 2 * HOUR + 150_000, 1.0);
            assertThat(late.isEmpty()).isTrue();
        } else {
            List<TestRecord<String, Reading>> lateRecords = late.readRecordsToList();
            assertThat(lateRecords).hasSize(19);
            assertThat(lateRecords).extracting(TestRecord::key).containsOnly("A1/PUMP01/RAIN");
            assertThat(header(lateRecords.get(0), LateReadings.HEADER_CLOCK)).isEqualTo("partition");
            assertThat(header(lateRecords.get(0), LateReadings.HEADER_STREAM_TIME)).isEqualTo(Long.toString(T0 + 2 * HOUR));
            assertThat(rainMinutes).isEmpty();
            assertThat(hours.isEmpty()).isTrue();
            assertThat(metrics.lateCount()).isEqualTo(19);
        }
    }

    private Map<String, byte[]> lastValues(String topic) {
        Map<String, byte[]> values = new HashMap<>();
        for (KeyValue<String, byte[]> record : driver.createOutputTopic(topic, new StringDeserializer(),
                new ByteArrayDeserializer()).readKeyValuesToList()) {
            values.put(record.key, record.value);
        }
        return values;
    }

    @Test
    void stateWrittenUnderThePartitionClockBeforeTagsHadClocksNeverReopensAWindowUnderTheTagClock() {
        // as the previous format left it: PRESS with minute 1 open (minute 0 emitted), stream time T0 + 95 s
        start(WindowClock.PARTITION, Map.of());
        send("PRESS", T0, 1.0);
        send("PRESS", T0 + 70_000, 3.0);
        send("OTHER", T0 + 95_000, 0.0);
        assertThat(minutes.readValuesToList()).extracting(Aggregate::getTag).containsExactly("PRESS");
        KeyValueStore<String, TagWindows> store = driver.getKeyValueStore(AggregationTopology.STORE);
        byte[] current = store.get("A1/PUMP01/PRESS").toBytes();
        Long streamTime = driver.<String, Long>getKeyValueStore(AggregationTopology.STREAM_TIME_STORE)
                .get(WindowAggregationProcessor.STREAM_TIME_KEY);
        close();

        // format 1 had neither the tag's clock nor its closed-through time (16 bytes before the minutes)
        int minutesAt = current.length - 4 - (12 + OpenMinute.SAMPLE_BYTES);
        byte[] format1 = new byte[current.length - 16];
        System.arraycopy(current, 0, format1, 0, minutesAt - 16);
        System.arraycopy(current, minutesAt, format1, minutesAt - 16, current.length - minutesAt);
        format1[0] = 1;
        start(WindowClock.TAG, Map.of());
        // below the typed store, as the bytes would be restored from the changelog
        @SuppressWarnings("unchecked")
        KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> bytesStore =
                (KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>)
                        ((org.apache.kafka.streams.state.internals.WrappedStateStore<?, ?, ?>)
                                (Object) driver.getKeyValueStore(AggregationTopology.STORE)).wrapped();
        bytesStore.put(org.apache.kafka.common.utils.Bytes.wrap("A1/PUMP01/PRESS".getBytes(StandardCharsets.UTF_8)),
                format1);
        assertThat(driver.<String, TagWindows>getKeyValueStore(AggregationTopology.STORE).get("A1/PUMP01/PRESS")
                .isFormat1()).isTrue();
        driver.<String, Long>getKeyValueStore(AggregationTopology.STREAM_TIME_STORE)
                .put(WindowAggregationProcessor.STREAM_TIME_KEY, streamTime);
        send("PRESS", T0 + 30_000, 9.0); // minute 0 was emitted on the partition's clock: late on the tag's too
        assertThat(late.readValuesToList()).extracting(Reading::getValue).containsExactly(9.0);
        send("PRESS", T0 + 80_000, 4.0); // minute 1 is still open
        send("PRESS", T0 + 150_000, 5.0);
        Aggregate minute1 = minutes.readValue();
        assertThat(minute1.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0 + MIN));
        assertThat(minute1.getCount()).isEqualTo(2);
        // 1 carried for 10 s, 3 for 10 s, 4 for 40 s
        assertThat(minute1.getTwa()).isCloseTo((1.0 * 10 + 3 * 10 + 4 * 40) / 60, within(1e-12));
        assertThat(minutes.isEmpty()).isTrue();
    }

    @Test
    void underThePartitionClockAQuietTagLeavesNoStateOnceItsLastValueCanNoLongerMatter() {
        start(WindowClock.PARTITION, Map.of());
        send("QUIET", T0, 1.0);
        send("CLOCK", T0 + 2 * MIN, 0.0);
        KeyValueStore<String, TagWindows> store = driver.getKeyValueStore(AggregationTopology.STORE);
        assertThat(store.get("A1/PUMP01/QUIET")).isNotNull();
        // hour closed at T0 + 1 h + grace; the value of T0 could matter until T0 + max step; one hour more to be sure
        send("CLOCK", T0 + HOUR + 10 * MIN + HOUR + 30_000, 0.0);
        assertThat(store.get("A1/PUMP01/QUIET")).isNull();
        assertThat(hours.readValuesToList()).extracting(Aggregate::getTag).contains("QUIET");
    }

    @Test
    void underTheTagClockAQuietTagKeepsItsWindowsOpenUntilItSendsAgain() {
        start(WindowClock.TAG, Map.of());
        send("QUIET", T0, 1.0);
        send("QUIET", T0 + 20_000, 3.0);
        send("CLOCK", T0 + 3 * HOUR, 0.0);
        KeyValueStore<String, TagWindows> store = driver.getKeyValueStore(AggregationTopology.STORE);
        // other tags do not move its clock: nothing emitted, its minute still open (the state stays, one entry)
        assertThat(minutes.readValuesToList()).extracting(Aggregate::getTag).doesNotContain("QUIET");
        assertThat(store.get("A1/PUMP01/QUIET").openMinutes()).hasSize(1);
        assertThat(store.get("A1/PUMP01/QUIET").clock()).isEqualTo(T0 + 20_000);

        send("QUIET", T0 + 2 * HOUR + 5_000, 7.0); // it sends again: everything before closes, in order
        List<Aggregate> quietMinutes = minutes.readValuesToList();
        assertThat(quietMinutes).extracting(Aggregate::getTag).containsOnly("QUIET");
        assertThat(quietMinutes).hasSize(1);
        assertThat(quietMinutes.get(0).getCount()).isEqualTo(2);
        // 1 for 20 s, 3 for 40 s (the 10-minute max step does not end inside the minute)
        assertThat(quietMinutes.get(0).getTwa()).isCloseTo((1.0 * 20 + 3 * 40) / 60, within(1e-12));
        List<Aggregate> hourly = hours.readValuesToList();
        assertThat(hourly).hasSize(1);
        assertThat(hourly.get(0).getCount()).isEqualTo(2);
        // 3 stays in force 10 minutes (max step) from T0 + 20 s: 1 for 20 s, 3 for 600 s
        assertThat(hourly.get(0).getTwa()).isCloseTo((1.0 * 20 + 3 * 600) / 620, within(1e-12));
        assertThat(store.get("A1/PUMP01/QUIET").openMinutes()).hasSize(1);
        assertThat(metrics.lateCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(WindowClock.class)
    void unreadableRecordGoesToTheDeadLetterTopicAndProcessingContinues(WindowClock clock) {
        // TopologyTestDriver drops dead-letter records sent while deserializing under exactly_once_v2 (see
        // DeadbandTopologyTest); the integration test runs the same path with exactly_once_v2 on a real broker
        start(clock, Map.of("streams.processing.guarantee", "at_least_once"));
        send("PRESS", T0, 1.0);
        byte[] garbage = {0, 0, 0, 0, 1, 2, 3};
        driver.createInputTopic(IN, new StringSerializer(), new ByteArraySerializer()).pipeInput("A1/PUMP01/PRESS", garbage);
        send("PRESS", T0 + 2 * MIN, 2.0);
        List<TestRecord<String, byte[]>> dead = driver.createOutputTopic(DLQ, new StringDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), DeadLetters.HEADER_REASON)).isEqualTo("DESERIALIZATION");
        assertThat(minutes.readValuesToList()).hasSize(1);
        assertThat(metrics.deadLetteredCount()).isEqualTo(1);
    }

    @Test
    void badOptionValuesAreRejectedNamingTheOption() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config(Map.of(AggregationConfig.GRACE_MS, "-1")))
                .hasMessageContaining(AggregationConfig.GRACE_MS).hasMessageContaining("-1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config(Map.of(AggregationConfig.MAX_STEP_MS, "soon")))
                .hasMessageContaining(AggregationConfig.MAX_STEP_MS).hasMessageContaining("soon");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config(Map.of(AggregationConfig.WINDOW_CLOCK, "wall")))
                .hasMessageContaining(AggregationConfig.WINDOW_CLOCK).hasMessageContaining("wall");
    }

    @Test
    void theWindowClockIsTheTagsByDefaultAndThePartitionsOnRequest() {
        assertThat(config(Map.of()).settings().clock()).isEqualTo(WindowClock.TAG);
        assertThat(config(Map.of(AggregationConfig.WINDOW_CLOCK, "partition")).settings().clock())
                .isEqualTo(WindowClock.PARTITION);
        assertThat(config(Map.of(AggregationConfig.WINDOW_CLOCK, "Tag")).settings().clock()).isEqualTo(WindowClock.TAG);
    }
}
