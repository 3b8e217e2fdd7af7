package io.tagstream.imputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

import io.tagstream.deadband.DeadbandConfig;
import io.tagstream.deadband.DeadbandTopology;
import io.tagstream.deadband.TagDeadbands;
import io.tagstream.schema.Imputation;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;
import io.tagstream.streams.common.StreamsAppRunner.RunningApp;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * Both apps chained through the real broker and registry (exactly_once_v2, Confluent wire format):
 * raw -> deadband (heartbeat 10 s) -> imputation (expected period = heartbeat) -> clean. A source that
 * stops for 30 s gets its gap filled with flagged LOCF points; a gap through BAD quality and beyond
 * max_gap stays open.
 */
class PipelineIT {

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
    void rawReadingsComeOutDeadbandedAndGapFilled() throws Exception {
        String id = TestIds.next();
        String raw = "it-pipeline-" + id + "-raw";
        String deadbanded = "it-pipeline-" + id + "-deadband";
        String clean = "it-pipeline-" + id + "-clean";
        kafka.createTopics(2, raw, deadbanded, clean, "it-pipeline-" + id + "-dlq");
        Serde<Reading> serde = ReadingSerdes.reading(stack.registryApiUrl());
        String site = "IT" + id;
        long t0 = (Instant.now().toEpochMilli() / 1000) * 1000 - 3_600_000;

        Map<String, Object> common = new HashMap<>();
        common.put(StreamsAppConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        common.put(StreamsAppConfig.REGISTRY_URL, stack.registryApiUrl());
        common.put(StreamsAppConfig.DLQ_TOPIC, "it-pipeline-" + id + "-dlq");
        common.put(StreamsAppConfig.ADDRESS_MAP_PATH, "");
        common.put("streams.consumer.auto.offset.reset", "earliest");

        Map<String, Object> deadbandValues = new HashMap<>(common);
        deadbandValues.put(StreamsAppConfig.APPLICATION_ID, "it-pipeline-deadband-" + id);
        deadbandValues.put(StreamsAppConfig.INPUT_TOPIC, raw);
        deadbandValues.put(StreamsAppConfig.OUTPUT_TOPIC, deadbanded);
        deadbandValues.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("deadband").toString());
        deadbandValues.put(DeadbandConfig.DEFAULT_WIDTH, "0.5");
        deadbandValues.put(DeadbandConfig.MAX_SILENCE_MS, "10000");
        DeadbandConfig deadbandConfig = new DeadbandConfig(deadbandValues);

        Map<String, Object> imputationValues = new HashMap<>(common);
        imputationValues.put(StreamsAppConfig.APPLICATION_ID, "it-pipeline-imputation-" + id);
        imputationValues.put(StreamsAppConfig.INPUT_TOPIC, deadbanded);
        imputationValues.put(StreamsAppConfig.OUTPUT_TOPIC, clean);
        imputationValues.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("imputation").toString());
        imputationValues.put(ImputationConfig.HEARTBEAT_PERIOD_MS, "10000");
        imputationValues.put(ImputationConfig.MAX_GAP_MS, "120000");
        ImputationConfig imputationConfig = new ImputationConfig(imputationValues);

        AppMetrics deadbandMetrics = new AppMetrics();
        AppMetrics imputationMetrics = new AppMetrics();
        try (RunningApp deadband = ready(StreamsAppRunner.start("deadband-it", deadbandConfig,
                DeadbandTopology.build(raw, deadbanded, serde, new TagDeadbands(Optional.empty(), deadbandConfig),
                        deadbandMetrics), deadbandMetrics));
             RunningApp imputation = ready(StreamsAppRunner.start("imputation-it", imputationConfig,
                     ImputationTopology.build(deadbanded, clean, serde, new TagGapSettings(Optional.empty(), imputationConfig),
                             imputationMetrics), imputationMetrics))) {
            List<Reading> readings = new ArrayList<>();
            for (long s = 0; s <= 20; s++) {
                readings.add(reading(site, t0 + s * 1000, 5.0 + (s % 2) * 0.1, Quality.GOOD)); // jitter inside the band
            }
            // the source stops for 30 s
            readings.add(reading(site, t0 + 50_000, 5.0, Quality.GOOD));
            readings.add(reading(site, t0 + 51_000, 9.0, Quality.GOOD));
            readings.add(reading(site, t0 + 52_000, null, Quality.BAD));
            readings.add(reading(site, t0 + 200_000, 9.0, Quality.GOOD));
            produce(raw, serde, readings);

            List<Reading> output = kafka.consumeExactly(clean, 9, serde.deserializer()).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(output).extracting(r -> (r.getTs().toEpochMilli() - t0) / 1000 + "s=" + r.getValue()
                            + (r.getOrigin() == Origin.IMPUTED ? "*" : ""))
                    .containsExactly("0s=5.0", "10s=5.0", "20s=5.0", "30s=5.0*", "40s=5.0*", "50s=5.0", "51s=9.0",
                            "52s=null", "200s=9.0");
            assertThat(output.get(3).getImputation()).isEqualTo(Imputation.LOCF);
            assertThat(output.get(3).getQuality()).isEqualTo(Quality.UNCERTAIN);

            assertThat(http(deadband.httpPort(), "/metrics")).contains("\"records_in\":25", "\"records_out\":7");
            assertThat(http(imputation.httpPort(), "/metrics")).contains("\"records_in\":7", "\"records_out\":9",
                    "\"imputed\":2", "\"gaps_left_open\":1");
        }
    }

    private static RunningApp ready(RunningApp app) {
        Awaitility.await("app running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING));
        return app;
    }

    private static Reading reading(String site, long ts, Double value, Quality quality) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite(site).setLine("L1").setDevice("METER01")
                .setTag("POWER").setValue(value).setUnit("kW").setQuality(quality).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("it").build();
    }

    private static void produce(String topic, Serde<Reading> serde, List<Reading> readings) throws Exception {
        kafka.send(serde.serializer(), readings.stream().map(r -> new ProducerRecord<>(topic, null, r.getTs().toEpochMilli(),
                r.getSite() + "/" + r.getDevice() + "/" + r.getTag(), r)).toList());
    }

    private static String http(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
