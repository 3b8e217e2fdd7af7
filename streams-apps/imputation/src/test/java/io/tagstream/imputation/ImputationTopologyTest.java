package io.tagstream.imputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.schema.Imputation;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.DeadLetters;
import io.tagstream.streams.common.PlainAvroSerde;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

class ImputationTopologyTest {

    private static final String IN = "telemetry.deadband";
    private static final String OUT = "telemetry.clean";
    private static final String DLQ = "dlq.imputation";
    /** PRESS has a deadband (heartbeat period applies); TEMP has none (its 2 s period_ms applies). */
    private static final String MAP = String.join("\n",
            "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo,deadband,deadband_mode",
            "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:502,1,40001,FLOAT32,1,0,1000,bar,10,0,0.1,ABSOLUTE",
            "A1,L1,PUMP01,TEMP,modbus,tcp://127.0.0.1:502,1,40003,INT16,1,0,2000,degC,120,-20,,",
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

    private void start(Map<String, Object> extra) throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
        values.put(StreamsAppConfig.REGISTRY_URL, "http://127.0.0.1:9/apis/registry/v2");
        values.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        values.put(ImputationConfig.HEARTBEAT_PERIOD_MS, "10000");
        values.put(ImputationConfig.DEADBAND_DEFAULT_APPLIES, "false");
        values.put(ImputationConfig.MAX_GAP_MS, "60000");
        values.putAll(extra);
        ImputationConfig config = new ImputationConfig(values);
        driver = new TopologyTestDriver(ImputationTopology.build(IN, OUT, serde,
                new TagGapSettings(Optional.of(AddressMap.parse(MAP)), config), metrics),
                StreamsAppRunner.streamsProperties(config, metrics));
        input = driver.createInputTopic(IN, new StringSerializer(), serde.serializer());
        output = driver.createOutputTopic(OUT, new StringDeserializer(), serde.deserializer());
    }

    private void send(String tag, long ts, Double value, Quality quality) {
        input.pipeInput("A1/PUMP01/" + tag, Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("A1").setLine("L1")
                .setDevice("PUMP01").setTag(tag).setValue(value).setUnit("u").setQuality(quality)
                .setOrigin(Origin.MEASURED).setImputation(null).setSource("deadband").build(), ts);
    }

    private static String describe(TestRecord<String, Reading> record) {
        Reading r = record.value();
        return r.getTag() + "@" + r.getTs().toEpochMilli() + "=" + r.getValue() + (r.getOrigin() == Origin.IMPUTED ? "*" : "");
    }

    @Test
    void fillsGapsOnTheExpectedGridOfEachTag() throws Exception {
        start(Map.of());
        // PRESS: heartbeat 10 s, threshold 15 s; TEMP: period 2 s, threshold 3 s
        send("PRESS", 0, 1.0, Quality.GOOD);
        send("TEMP", 0, 20.0, Quality.GOOD);
        send("TEMP", 2_000, 21.0, Quality.GOOD);
        send("PRESS", 10_000, 1.5, Quality.GOOD);   // no gap
        send("TEMP", 7_000, 22.0, Quality.GOOD);    // gap 5 s: fill 4 s, 6 s
        send("PRESS", 35_000, 2.0, Quality.GOOD);   // gap 25 s: fill 20 s, 30 s

        List<TestRecord<String, Reading>> records = output.readRecordsToList();
        assertThat(records).extracting(ImputationTopologyTest::describe).containsExactly(
                "PRESS@0=1.0", "TEMP@0=20.0", "TEMP@2000=21.0", "PRESS@10000=1.5",
                "TEMP@4000=21.0*", "TEMP@6000=21.0*", "TEMP@7000=22.0",
                "PRESS@20000=1.5*", "PRESS@30000=1.5*", "PRESS@35000=2.0");
        assertThat(records).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(r.value().getTs().toEpochMilli()));
        assertThat(records.get(4).value().getQuality()).isEqualTo(Quality.UNCERTAIN);
        assertThat(records.get(4).value().getImputation()).isEqualTo(Imputation.LOCF);
        assertThat(metrics.imputedCount()).isEqualTo(4);
        assertThat(metrics.recordsIn()).isEqualTo(6);
        assertThat(metrics.recordsOut()).isEqualTo(10);
    }

    @Test
    void linearMethodAndGapsBeyondMaxGapAndAcrossBadQuality() throws Exception {
        start(Map.of(ImputationConfig.METHOD, "LINEAR"));
        send("TEMP", 0, 10.0, Quality.GOOD);
        send("TEMP", 4_000, 20.0, Quality.GOOD);          // fill 2 s = 15.0
        send("TEMP", 64_000, 20.0, Quality.GOOD);         // 60 s = max gap: open
        send("TEMP", 70_000, null, Quality.BAD);          // 6 s gap into BAD: open
        send("TEMP", 76_000, 20.0, Quality.GOOD);         // 6 s gap out of BAD: open
        assertThat(output.readRecordsToList()).extracting(ImputationTopologyTest::describe).containsExactly(
                "TEMP@0=10.0", "TEMP@2000=15.0*", "TEMP@4000=20.0", "TEMP@64000=20.0", "TEMP@70000=null",
                "TEMP@76000=20.0");
        assertThat(metrics.gapsLeftOpenCount()).isEqualTo(3);
    }

    @Test
    void lateSamplesPassThroughAndDuplicatesAreDroppedWithoutTouchingState() throws Exception {
        start(Map.of());
        send("TEMP", 10_000, 1.0, Quality.GOOD);
        send("TEMP", 4_000, 9.0, Quality.GOOD);
        send("TEMP", 10_000, 1.0, Quality.GOOD);
        send("TEMP", 12_000, 2.0, Quality.GOOD);
        assertThat(output.readRecordsToList()).extracting(ImputationTopologyTest::describe)
                .containsExactly("TEMP@10000=1.0", "TEMP@4000=9.0", "TEMP@12000=2.0");
        assertThat(metrics.outOfOrderCount()).isEqualTo(1);
        assertThat(metrics.duplicateCount()).isEqualTo(1);
        var store = driver.<String, GapState>getKeyValueStore(ImputationTopology.STORE);
        assertThat(store.persistent()).isTrue();
        assertThat(store.get("A1/PUMP01/TEMP").lastTs()).isEqualTo(12_000);
        assertThat(driver.producedTopicNames()).contains("tagstream-imputation-" + ImputationTopology.STORE + "-changelog");
    }

    @Test
    void unknownTagsUseTheHeartbeatWhenTheDefaultDeadbandApplies() throws Exception {
        start(Map.of(ImputationConfig.DEADBAND_DEFAULT_APPLIES, "true"));
        send("OTHER", 0, 1.0, Quality.GOOD);
        send("OTHER", 14_000, 1.0, Quality.GOOD);  // below 15 s
        send("OTHER", 30_000, 1.0, Quality.GOOD);  // 16 s: fill 24 s
        assertThat(output.readRecordsToList()).extracting(ImputationTopologyTest::describe)
                .containsExactly("OTHER@0=1.0", "OTHER@14000=1.0", "OTHER@24000=1.0*", "OTHER@30000=1.0");
    }

    @Test
    void unreadableRecordGoesToTheDeadLetterTopic() throws Exception {
        // see DeadbandTopologyTest: the test driver loses these under exactly_once_v2; the IT covers that
        start(Map.of("streams.processing.guarantee", "at_least_once"));
        send("TEMP", 0, 1.0, Quality.GOOD);
        byte[] garbage = {0, 0, 0, 0, 1, 2, 3};
        driver.createInputTopic(IN, new StringSerializer(), new ByteArraySerializer()).pipeInput("A1/PUMP01/TEMP", garbage);
        send("TEMP", 1_000, 2.0, Quality.GOOD);
        List<TestRecord<String, byte[]>> dead = driver.createOutputTopic(DLQ, new StringDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("DESERIALIZATION");
        assertThat(output.readValuesToList()).hasSize(2);
        assertThat(metrics.deadLetteredCount()).isEqualTo(1);
    }
}
