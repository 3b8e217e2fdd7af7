package io.tagstream.deadband;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.DeadLetters;
import io.tagstream.streams.common.PlainAvroSerde;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

class DeadbandTopologyTest {

    private static final String IN = "telemetry.raw";
    private static final String OUT = "telemetry.deadband";
    private static final String DLQ = "dlq.deadband";
    private static final String MAP = String.join("\n",
            "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo,deadband,deadband_mode",
            "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:502,1,40001,FLOAT32,1,0,1000,bar,10,0,5,PERCENT_SPAN",
            "A1,L1,PUMP01,TEMP,modbus,tcp://127.0.0.1:502,1,40003,INT16,1,0,1000,degC,120,-20,1.0,ABSOLUTE",
            "A1,L1,PUMP01,FLOW,modbus,tcp://127.0.0.1:502,1,40004,INT16,1,0,1000,m3/h,,,,",
            "");

    @TempDir
    Path stateDir;

    private final Serde<Reading> serde = PlainAvroSerde.of(Reading.class);
    private final AppMetrics metrics = new AppMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Reading> input;
    private TestOutputTopic<String, Reading> output;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private DeadbandConfig config(Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
        values.put(StreamsAppConfig.REGISTRY_URL, "http://127.0.0.1:9/apis/registry/v2");
        values.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        values.put(DeadbandConfig.DEFAULT_WIDTH, "0.5");
        values.putAll(extra);
        return new DeadbandConfig(values);
    }

    private void start(DeadbandConfig config, Function<String, DeadbandSettings> settings) {
        // the app's real Streams properties: exactly_once_v2 and the dead-letter handlers
        Properties properties = StreamsAppRunner.streamsProperties(config, metrics);
        driver = new TopologyTestDriver(DeadbandTopology.build(IN, OUT, serde, settings, metrics), properties);
        input = driver.createInputTopic(IN, new StringSerializer(), serde.serializer());
        output = driver.createOutputTopic(OUT, new StringDeserializer(), serde.deserializer());
    }

    private void start() throws Exception {
        DeadbandConfig config = config(Map.of());
        start(config, new TagDeadbands(Optional.of(AddressMap.parse(MAP)), config));
    }

    private static Reading reading(String device, String tag, long ts, Double value, Quality quality) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("A1").setLine("L1").setDevice(device)
                .setTag(tag).setValue(value).setUnit(null).setQuality(quality).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("test").build();
    }

    private void send(String tag, long ts, Double value) {
        send(tag, ts, value, Quality.GOOD);
    }

    private void send(String tag, long ts, Double value, Quality quality) {
        Reading reading = reading("PUMP01", tag, ts, value, quality);
        input.pipeInput("A1/PUMP01/" + tag, reading, ts);
    }

    @Test
    void suppressesInsideTheBandPerTagSettingsFromTheAddressMap() throws Exception {
        start();
        // PRESS: 5 % of span 10 = 0.5; TEMP: absolute 1.0; FLOW: no deadband in the map -> default 0.5 absolute
        send("PRESS", 0, 5.0);
        send("TEMP", 0, 50.0);
        send("FLOW", 0, 10.0);
        send("PRESS", 1000, 5.5);   // on the edge: suppressed
        send("TEMP", 1000, 50.9);   // suppressed
        send("FLOW", 1000, 10.4);   // suppressed
        send("PRESS", 2000, 5.6);   // outside: held 5.5 first, then 5.6
        send("TEMP", 2000, 51.5);   // outside: held 50.9, then 51.5
        send("FLOW", 2000, 10.5, Quality.UNCERTAIN); // quality change

        List<TestRecord<String, Reading>> records = output.readRecordsToList();
        assertThat(records).extracting(r -> r.key() + "@" + r.value().getTs().toEpochMilli() + "=" + r.value().getValue())
                .containsExactly(
                        "A1/PUMP01/PRESS@0=5.0", "A1/PUMP01/TEMP@0=50.0", "A1/PUMP01/FLOW@0=10.0",
                        "A1/PUMP01/PRESS@1000=5.5", "A1/PUMP01/PRESS@2000=5.6",
                        "A1/PUMP01/TEMP@1000=50.9", "A1/PUMP01/TEMP@2000=51.5",
                        "A1/PUMP01/FLOW@1000=10.4", "A1/PUMP01/FLOW@2000=10.5");
        // record timestamps are measurement times, also for the held samples
        assertThat(records).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(r.value().getTs().toEpochMilli()));

        assertThat(metrics.recordsIn()).isEqualTo(9);
        assertThat(metrics.recordsOut()).isEqualTo(9);
        assertThat(metrics.suppressedCount()).isEqualTo(3);
    }

    @Test
    void heartbeatAfterMaxSilence() throws Exception {
        DeadbandConfig config = config(Map.of(DeadbandConfig.MAX_SILENCE_MS, "10000"));
        start(config, new TagDeadbands(Optional.empty(), config));
        for (long ts = 0; ts <= 25_000; ts += 1000) {
            send("X", ts, 1.0);
        }
        assertThat(output.readValuesToList()).extracting(r -> r.getTs().toEpochMilli()).containsExactly(0L, 10_000L, 20_000L);
        assertThat(metrics.suppressionRatio()).isCloseTo(23.0 / 26.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void stateLivesInAPersistentChangeloggedStore() throws Exception {
        start();
        send("PRESS", 0, 5.0);
        send("PRESS", 1000, 5.2);
        var store = driver.<String, DeadbandState>getKeyValueStore(DeadbandTopology.STORE);
        assertThat(store.persistent()).isTrue();
        DeadbandState state = store.get("A1/PUMP01/PRESS");
        assertThat(state.lastSent().value()).isEqualTo(5.0);
        assertThat(state.held().getValue()).isEqualTo(5.2);
        assertThat(driver.producedTopicNames()).contains("tagstream-deadband-" + DeadbandTopology.STORE + "-changelog");
    }

    @Test
    void clockGoingBackwardsPassesThroughWithoutTouchingState() throws Exception {
        start();
        send("TEMP", 10_000, 50.0);
        send("TEMP", 5_000, 80.0);
        send("TEMP", 11_000, 50.5);
        assertThat(output.readValuesToList()).extracting(Reading::getValue).containsExactly(50.0, 80.0);
        assertThat(metrics.outOfOrderCount()).isEqualTo(1);
        assertThat(driver.<String, DeadbandState>getKeyValueStore(DeadbandTopology.STORE).get("A1/PUMP01/TEMP").lastSent()
                .value()).isEqualTo(50.0);
    }

    @Test
    void unreadableRecordGoesToTheDeadLetterTopicAndProcessingContinues() throws Exception {
        // TopologyTestDriver drops dead-letter records sent while deserializing under exactly_once_v2 (its
        // mock producer); the integration test checks the same path with exactly_once_v2 on a real broker
        DeadbandConfig config = config(Map.of("streams.processing.guarantee", "at_least_once"));
        start(config, new TagDeadbands(Optional.empty(), config));
        TestInputTopic<String, byte[]> rawInput = driver.createInputTopic(IN, new StringSerializer(), new ByteArraySerializer());
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        send("PRESS", 0, 5.0);
        rawInput.pipeInput("A1/PUMP01/PRESS", garbage);
        send("PRESS", 1000, 6.0);

        TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic(DLQ, new StringDeserializer(), new ByteArrayDeserializer());
        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("A1/PUMP01/PRESS");
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), DeadLetters.HEADER_REASON)).isEqualTo("DESERIALIZATION");
        assertThat(header(dead.get(0), DeadLetters.HEADER_TOPIC)).isEqualTo(IN);
        assertThat(header(dead.get(0), DeadLetters.HEADER_APPLICATION)).isEqualTo("tagstream-deadband");
        assertThat(header(dead.get(0), DeadLetters.HEADER_MESSAGE)).isNotBlank();
        assertThat(output.readValuesToList()).extracting(Reading::getValue).containsExactly(5.0, 6.0);
        assertThat(metrics.deadLetteredCount()).isEqualTo(1);
    }

    @Test
    void recordThatFailsProcessingGoesToTheDeadLetterTopicAsOriginalBytes() throws Exception {
        DeadbandConfig config = config(Map.of());
        TagDeadbands real = new TagDeadbands(Optional.empty(), config);
        start(config, key -> {
            if (key.endsWith("/BROKEN")) {
                throw new IllegalStateException("settings unavailable for " + key);
            }
            return real.apply(key);
        });
        Reading broken = reading("PUMP01", "BROKEN", 0, 1.0, Quality.GOOD);
        input.pipeInput("A1/PUMP01/BROKEN", broken, 0L);
        send("OK", 0, 1.0);

        TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic(DLQ, new StringDeserializer(), new ByteArrayDeserializer());
        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.HEADER_REASON)).isEqualTo("PROCESSING");
        assertThat(header(dead.get(0), DeadLetters.HEADER_EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(serde.deserializer().deserialize(DLQ, dead.get(0).value())).isEqualTo(broken);
        assertThat(output.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("A1/PUMP01/OK");
    }

    @Test
    void tombstonesAreCountedNotForwarded() throws Exception {
        start();
        input.pipeInput("A1/PUMP01/PRESS", null, 0L);
        assertThat(output.isEmpty()).isTrue();
        assertThat(metrics.recordsIn()).isEqualTo(1);
        assertThat(metrics.suppressedCount()).isEqualTo(1);
    }

    @Test
    void exactlyOnceIsConfigured() {
        Properties properties = StreamsAppRunner.streamsProperties(config(Map.of("streams.linger.ms", "20")), metrics);
        assertThat(properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(properties.get("linger.ms")).isEqualTo("20");
        assertThat(properties.get(DeadLetters.TOPIC_CONFIG)).isEqualTo(DLQ);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
