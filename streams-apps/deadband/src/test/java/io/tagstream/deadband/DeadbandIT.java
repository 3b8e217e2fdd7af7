package io.tagstream.deadband;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.DeadLetters;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;
import io.tagstream.streams.common.StreamsAppRunner.RunningApp;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * The deadband app through the real broker and registry, with exactly_once_v2: Avro readings in Confluent
 * wire format in, deadbanded readings out, an unreadable record dead-lettered, and the per-tag state
 * restored from its changelog by a second instance with an empty state directory.
 */
class DeadbandIT {

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
    void deadbandsThroughTheBrokerDeadLettersGarbageAndRestoresStateFromTheChangelog() throws Exception {
        String id = TestIds.next();
        String in = "it-deadband-" + id + "-raw";
        String out = "it-deadband-" + id + "-out";
        String dlq = "it-deadband-" + id + "-dlq";
        kafka.createTopics(2, in, out, dlq);
        Serde<Reading> serde = ReadingSerdes.reading(stack.registryApiUrl());
        String site = "IT" + id;
        String key = site + "/PUMP01/PRESS";
        long t0 = Instant.now().toEpochMilli() - 600_000;

        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        values.put(StreamsAppConfig.REGISTRY_URL, stack.registryApiUrl());
        values.put(StreamsAppConfig.APPLICATION_ID, "it-deadband-" + id);
        values.put(StreamsAppConfig.INPUT_TOPIC, in);
        values.put(StreamsAppConfig.OUTPUT_TOPIC, out);
        values.put(StreamsAppConfig.DLQ_TOPIC, dlq);
        values.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("first").toString());
        values.put(StreamsAppConfig.ADDRESS_MAP_PATH, "");
        values.put(DeadbandConfig.DEFAULT_WIDTH, "0.5");
        values.put("streams.consumer.auto.offset.reset", "earliest");

        AppMetrics metrics = new AppMetrics();
        try (RunningApp app = start(values, serde, metrics)) {
            produce(in, serde, List.of(reading(site, t0, 10.0), reading(site, t0 + 1000, 10.2)));
            kafka.sendRaw(in, key, "garbage".getBytes(StandardCharsets.UTF_8));
            produce(in, serde, List.of(reading(site, t0 + 2000, 10.4), reading(site, t0 + 3000, 11.0)));

            // 10.0 first; 11.0 leaves the band, preceded by the held 10.4
            List<ConsumerRecord<String, byte[]>> output = kafka.consumeExactly(out, 3);
            assertThat(output).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(key);
                assertThat(r.value()[0]).as("Confluent magic byte").isEqualTo((byte) 0);
            });
            assertThat(output).extracting(r -> serde.deserializer().deserialize(out, r.value()).getValue())
                    .containsExactly(10.0, 10.4, 11.0);

            List<ConsumerRecord<String, byte[]>> dead = kafka.consumeExactly(dlq, 1);
            assertThat(dead.get(0).value()).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
            assertThat(StackKafka.header(dead.get(0), DeadLetters.HEADER_REASON)).isEqualTo("DESERIALIZATION");

            String body = http(app.httpPort(), "/metrics").body();
            // 10.2 and 10.4 were suppressed, 10.4 was sent later as the held sample before the jump
            assertThat(body).contains("\"records_in\":4", "\"records_out\":3", "\"suppressed\":2",
                    "\"suppression_ratio\":0.250000", "\"dead_lettered\":1");
        }

        // a new instance with an empty state directory: the band around 11.0 must come back from the changelog.
        // Restored, 11.3 and 11.4 are inside it and only the held 11.4 goes out before 13.0; without the state
        // 11.3 would pass as a first sample and a sixth record would appear.
        values.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("second").toString());
        AppMetrics restarted = new AppMetrics();
        try (RunningApp app = start(values, serde, restarted)) {
            produce(in, serde, List.of(reading(site, t0 + 4000, 11.3), reading(site, t0 + 5000, 11.4),
                    reading(site, t0 + 6000, 13.0)));
            List<ConsumerRecord<String, byte[]>> output = kafka.consumeExactly(out, 5);
            assertThat(output.subList(3, 5)).extracting(r -> serde.deserializer().deserialize(out, r.value()).getValue())
                    .containsExactly(11.4, 13.0);
            assertThat(http(app.httpPort(), "/metrics").body()).contains("\"records_in\":3", "\"suppressed\":2");
        }
    }

    private static RunningApp start(Map<String, Object> values, Serde<Reading> serde, AppMetrics metrics) throws Exception {
        DeadbandConfig config = new DeadbandConfig(values);
        RunningApp app = StreamsAppRunner.start("deadband-it", config,
                DeadbandTopology.build(config.getString(StreamsAppConfig.INPUT_TOPIC),
                        config.getString(StreamsAppConfig.OUTPUT_TOPIC), serde,
                        new TagDeadbands(Optional.empty(), config), metrics), metrics);
        Awaitility.await("app ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("app in state ERROR", () -> app.state() == KafkaStreams.State.ERROR)
                .untilAsserted(() -> assertThat(http(app.httpPort(), "/ready").statusCode()).as("/ready, state %s", app.state())
                        .isEqualTo(200));
        return app;
    }

    private static Reading reading(String site, long ts, double value) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite(site).setLine("L1").setDevice("PUMP01")
                .setTag("PRESS").setValue(value).setUnit("bar").setQuality(Quality.GOOD).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("it").build();
    }

    private static void produce(String topic, Serde<Reading> serde, List<Reading> readings) throws Exception {
        kafka.send(serde.serializer(), readings.stream().map(r -> new ProducerRecord<>(topic, null, r.getTs().toEpochMilli(),
                r.getSite() + "/" + r.getDevice() + "/" + r.getTag(), r)).toList());
    }

    private static HttpResponse<String> http(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
