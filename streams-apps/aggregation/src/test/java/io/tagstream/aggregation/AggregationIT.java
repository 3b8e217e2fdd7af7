package io.tagstream.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagstream.schema.Aggregate;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.streams.common.DeadLetters;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * The aggregation app through the real broker and registry (exactly_once_v2, Confluent wire format): two
 * tags over the last minutes of an hour, the app stopped mid-window and replaced by an instance with an
 * empty state directory (restored from the changelogs), then 1-minute and 1-hour aggregates, a late
 * reading on the late topic and a garbage record on the dead-letter topic.
 */
class AggregationIT {

    private static final long MIN = EpochWindows.MINUTE_MS;

    private static StackEndpoints stack;
    private static StackKafka kafka;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void stack() {
        stack = SharedStack.get();
        kafka = new StackKafka(stack);
    }

    @Test
    void aggregatesThroughTheBrokerAcrossARestartWithLateAndUnreadableRecordsRoutedAside() throws Exception {
        String id = TestIds.next();
        String prefix = "it-aggregation-" + id;
        String in = prefix + "-clean";
        String out1m = prefix + "-agg-1m";
        String out1h = prefix + "-agg-1h";
        String lateTopic = prefix + "-late";
        String dlq = prefix + "-dlq";
        kafka.createTopics(2, in, out1m, out1h, lateTopic, dlq);
        Serde<Reading> readingSerde = ReadingSerdes.reading(stack.registryApiUrl());
        Serde<Aggregate> aggregateSerde = AggregateSerdes.aggregate(stack.registryApiUrl());
        String site = "IT" + id;
        long hour = EpochWindows.hourStart(Instant.now().toEpochMilli()) - 3 * EpochWindows.HOUR_MS;
        long m58 = hour + 58 * MIN;
        long m59 = hour + 59 * MIN;

        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        values.put(StreamsAppConfig.REGISTRY_URL, stack.registryApiUrl());
        values.put(StreamsAppConfig.APPLICATION_ID, prefix);
        values.put(StreamsAppConfig.INPUT_TOPIC, in);
        values.put(StreamsAppConfig.OUTPUT_TOPIC, out1m);
        values.put(AggregationConfig.HOUR_OUTPUT_TOPIC, out1h);
        values.put(AggregationConfig.LATE_TOPIC, lateTopic);
        values.put(StreamsAppConfig.DLQ_TOPIC, dlq);
        values.put("streams.consumer.auto.offset.reset", "earliest");

        // phase 1: minute 58 and the first half of minute 59, then a graceful stop mid-window
        values.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("first").toString());
        AggregationConfig first = new AggregationConfig(values);
        AggregationMetrics firstMetrics = new AggregationMetrics();
        try (StreamsAppRunner.RunningApp app = running(AggregationRunner.start("aggregation-it", first,
                AggregationApp.topology(first, firstMetrics), firstMetrics))) {
            produce(in, readingSerde, List.of(
                    reading(site, "PRESS", m58, 1.0), reading(site, "PRESS", m58 + 30_000, 3.0),
                    reading(site, "TEMP", m58 + 10_000, 20.0), reading(site, "TEMP", m58 + 40_000, 22.0),
                    reading(site, "PRESS", m59, 5.0), reading(site, "TEMP", m59 + 5_000, 24.0)));
            await(() -> firstMetrics.recordsIn() == 6, "6 readings processed");
            assertThat(firstMetrics.minuteAggregateCount()).isZero(); // nothing closed: minute 58 ends + 30 s grace
        }

        // phase 2: a new instance with an empty state directory restores from the changelogs and goes on
        values.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("second").toString());
        AggregationConfig second = new AggregationConfig(values);
        AggregationMetrics metrics = new AggregationMetrics();
        try (StreamsAppRunner.RunningApp app = running(AggregationRunner.start("aggregation-it", second,
                AggregationApp.topology(second, metrics), metrics))) {
            produce(in, readingSerde, List.of(
                    reading(site, "PRESS", m59 + 30_000, 7.0), reading(site, "TEMP", m59 + 35_000, 26.0),
                    // bad quality: counted, not averaged
                    Reading.newBuilder(reading(site, "TEMP", m59 + 50_000, 99.0)).setQuality(Quality.BAD).build()));
            kafka.sendRaw(in, site + "/DEV/PRESS", "not avro".getBytes(StandardCharsets.UTF_8));
            // the next hour + grace on both tags' partitions: minutes 58, 59 and the hour close
            produce(in, readingSerde, List.of(reading(site, "PRESS", hour + 61 * MIN, 9.0),
                    reading(site, "TEMP", hour + 61 * MIN, 30.0)));
            produce(in, readingSerde, List.of(reading(site, "PRESS", m58 + 45_000, 100.0))); // late

            List<Aggregate> minutes = values(kafka.consumeExactly(out1m, 4, aggregateSerde.deserializer()));
            List<Aggregate> hours = values(kafka.consumeExactly(out1h, 2, aggregateSerde.deserializer()));
            Aggregate press58 = find(minutes, "PRESS", m58);
            assertThat(press58.getCount()).isEqualTo(2);
            assertThat(press58.getAvg()).isEqualTo(2.0);
            assertThat(press58.getTwa()).isCloseTo((1.0 * 30 + 3.0 * 30) / 60, within(1e-12));
            Aggregate press59 = find(minutes, "PRESS", m59);
            assertThat(press59.getCount()).isEqualTo(2);
            assertThat(press59.getTwa()).isEqualTo(6.0);
            Aggregate temp59 = find(minutes, "TEMP", m59);
            assertThat(temp59.getCount()).isEqualTo(3);
            assertThat(temp59.getBadCount()).isEqualTo(1);
            assertThat(temp59.getMax()).isEqualTo(26.0);
            // 22 carried for 5 s, 24 for 30 s, 26 for 15 s, then BAD for 10 s
            assertThat(temp59.getTwa()).isCloseTo((22.0 * 5 + 24 * 30 + 26 * 15) / 50, within(1e-12));

            Aggregate pressHour = find(hours, "PRESS", hour);
            assertThat(pressHour.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(hour + EpochWindows.HOUR_MS));
            assertThat(pressHour.getCount()).isEqualTo(4);
            assertThat(pressHour.getMin()).isEqualTo(1.0);
            assertThat(pressHour.getMax()).isEqualTo(7.0);
            assertThat(pressHour.getFirst()).isEqualTo(1.0);
            assertThat(pressHour.getLast()).isEqualTo(7.0);
            assertThat(pressHour.getTwa()).isCloseTo((1.0 * 30 + 3 * 30 + 5 * 30 + 7 * 30) / 120, within(1e-12));
            assertThat(find(hours, "TEMP", hour).getCount()).isEqualTo(5);

            List<ConsumerRecord<String, byte[]>> late = kafka.consumeExactly(lateTopic, 1);
            assertThat(StackKafka.header(late.get(0), LateReadings.HEADER_REASON)).isEqualTo(LateReadings.REASON_WINDOW_CLOSED);
            assertThat(StackKafka.header(late.get(0), LateReadings.HEADER_WINDOW_START)).isEqualTo(Long.toString(m58));
            assertThat(readingSerde.deserializer().deserialize(lateTopic, late.get(0).value()).getValue()).isEqualTo(100.0);
            List<ConsumerRecord<String, byte[]>> dead = kafka.consumeExactly(dlq, 1);
            assertThat(dead.get(0).value()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
            assertThat(StackKafka.header(dead.get(0), DeadLetters.HEADER_REASON)).isEqualTo("DESERIALIZATION");

            await(() -> metrics.lateCount() == 1, "late reading counted");
            String body = http(app.httpPort(), "/metrics");
            assertThat(body).contains("\"aggregates_1m\":4", "\"aggregates_1h\":2", "\"late\":1", "\"dead_lettered\":1",
                    "\"bad_samples\":1");
            assertThat(http(app.httpPort(), "/ready")).contains("READY");
        }
    }

    private static Aggregate find(List<Aggregate> aggregates, String tag, long start) {
        List<Aggregate> found = aggregates.stream()
                .filter(a -> a.getTag().equals(tag) && a.getWindowStart().toEpochMilli() == start).toList();
        assertThat(found).as("%s at %s", tag, Instant.ofEpochMilli(start)).hasSize(1);
        return found.get(0);
    }

    private static StreamsAppRunner.RunningApp running(StreamsAppRunner.RunningApp app) {
        await(() -> app.state() == KafkaStreams.State.RUNNING, "app running");
        return app;
    }

    private static void await(Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(condition);
    }

    private static Reading reading(String site, String tag, long ts, double value) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite(site).setLine("L1").setDevice("DEV")
                .setTag(tag).setValue(value).setUnit("u").setQuality(Quality.GOOD).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("it").build();
    }

    private static void produce(String topic, Serde<Reading> serde, List<Reading> readings) throws Exception {
        kafka.send(serde.serializer(), readings.stream().map(r -> new ProducerRecord<>(topic, null, r.getTs().toEpochMilli(),
                r.getSite() + "/" + r.getDevice() + "/" + r.getTag(), r)).toList());
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static String http(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
