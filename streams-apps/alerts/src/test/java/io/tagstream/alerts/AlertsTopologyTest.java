package io.tagstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.avro.generic.GenericRecord;
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

import io.tagstream.addressmap.AddressMap;
import io.tagstream.schema.AlertEvent;
import io.tagstream.schema.AlertKind;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.PlainAvroSerde;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

class AlertsTopologyTest {

    private static final String IN = "telemetry.clean";
    private static final String OUT = "alerts.events";
    private static final String DLQ = "dlq.alerts";
    private static final String RULES = "ops.thresholds";
    private static final String APP = "alerts-test";
    private static final String CHANGELOG = APP + "-" + AlertsTopology.STORE + "-changelog";
    private static final Instant WALL = Instant.parse("2026-11-30T08:00:00Z");
    private static final long T0 = WALL.toEpochMilli();
    private static final String MAP = String.join("\n",
            "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo",
            "A1,LINE1,PUMP01,PRESS,modbus,tcp://127.0.0.1:502,1,40001,FLOAT32,1,0,1000,bar,10,0",
            "A1,LINE1,PUMP01,TEMP,modbus,tcp://127.0.0.1:502,1,40003,INT16,1,0,1000,degC,120,-20",
            "");

    @TempDir
    Path stateDir;

    private final Serde<Reading> readings = PlainAvroSerde.of(Reading.class);
    private final Serde<AlertEvent> events = PlainAvroSerde.of(AlertEvent.class);
    private final AppMetrics metrics = new AppMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Reading> input;
    private TestInputTopic<byte[], byte[]> rules;
    private TestOutputTopic<String, AlertEvent> output;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start() throws Exception {
        start(WALL);
    }

    private void start(Instant wallClock) throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
        values.put(StreamsAppConfig.REGISTRY_URL, "http://127.0.0.1:9/apis/registry/v2");
        values.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        values.put(StreamsAppConfig.APPLICATION_ID, APP);
        values.put(AlertsConfig.DEFAULT_STALE_AFTER_MS, "60000");
        values.put(AlertsConfig.DEFAULT_BAD_QUALITY_AFTER_MS, "-1");
        AlertsConfig config = new AlertsConfig(values);
        // the app's real Streams properties: exactly_once_v2 and the dead-letter handlers
        Properties properties = StreamsAppRunner.streamsProperties(config, metrics);
        driver = new TopologyTestDriver(AlertsTopology.build(IN, OUT, RULES, readings, events,
                DebeziumThresholds.deserializer(DebeziumThresholds.KEY), DebeziumThresholds.deserializer(DebeziumThresholds.VALUE),
                config.tagDefaults(Optional.of(AddressMap.parse(MAP))), config.getLong(AlertsConfig.STALE_CHECK_INTERVAL_MS),
                metrics), properties, wallClock);
        input = driver.createInputTopic(IN, new StringSerializer(), readings.serializer());
        rules = driver.createInputTopic(RULES, new ByteArraySerializer(), new ByteArraySerializer());
        output = driver.createOutputTopic(OUT, new StringDeserializer(), events.deserializer());
    }

    private void send(String tag, long offsetMs, Double value) {
        send(tag, offsetMs, value, Quality.GOOD);
    }

    private void send(String tag, long offsetMs, Double value, Quality quality) {
        long ts = T0 + offsetMs;
        Reading reading = Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("A1").setLine("LINE1")
                .setDevice("PUMP01").setTag(tag).setValue(value).setUnit("bar").setQuality(quality)
                .setOrigin(Origin.MEASURED).setImputation(null).setSource("test").build();
        input.pipeInput("A1/PUMP01/" + tag, reading, ts);
    }

    private void putRule(GenericRecord row) {
        rules.pipeInput(DebeziumThresholds.key(row.get("rule_id").toString()), DebeziumThresholds.encode(row));
    }

    private List<String> drain() {
        return output.readRecordsToList().stream().map(AlertsTopologyTest::describe).toList();
    }

    private static String describe(TestRecord<String, AlertEvent> record) {
        AlertEvent event = record.value();
        assertThat(record.key()).isEqualTo(event.getAlertId());
        return event.getTag() + " " + event.getState() + " " + event.getKind() + " " + event.getSeverity() + " "
                + event.getValue() + "/" + event.getThreshold() + " " + event.getRuleId();
    }

    @Test
    void addressMapLimitsRaiseAndClearKeyedByAlertId() throws Exception {
        start();
        send("PRESS", 0, 5.0);
        send("TEMP", 0, 20.0);
        send("PRESS", 1000, 11.0);
        send("PRESS", 2000, 12.0);
        send("TEMP", 2000, -25.0);
        send("PRESS", 3000, 5.0);
        List<TestRecord<String, AlertEvent>> records = output.readRecordsToList();
        assertThat(records).extracting(AlertsTopologyTest::describe).containsExactly(
                "PRESS RAISED HIGH WARNING 11.0/10.0 address-map",
                "TEMP RAISED LOW WARNING -25.0/-20.0 address-map",
                "PRESS CLEARED HIGH WARNING 5.0/10.0 address-map");
        AlertEvent raised = records.get(0).value();
        assertThat(raised.getSite()).isEqualTo("A1");
        assertThat(raised.getLine()).isEqualTo("LINE1");
        assertThat(raised.getDevice()).isEqualTo("PUMP01");
        assertThat(raised.getTs()).isEqualTo(Instant.ofEpochMilli(T0 + 1000));
        assertThat(raised.getRaisedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 1000));
        assertThat(records.get(0).timestamp()).isEqualTo(T0 + 1000);
        assertThat(records.get(2).value().getAlertId()).isEqualTo(raised.getAlertId());
        assertThat(records.get(2).value().getRaisedAt()).isEqualTo(raised.getRaisedAt());
        assertThat(metrics.recordsIn()).isEqualTo(6);
        assertThat(metrics.recordsOut()).isEqualTo(3);
    }

    @Test
    void aRuleChangedThroughCdcAppliesToTheNextReadingAndATombstoneRestoresTheDefault() throws Exception {
        start();
        send("PRESS", 0, 9.0);
        assertThat(drain()).isEmpty();

        GenericRecord rule = DebeziumThresholds.row("r1", "A1", "PUMP01", "PRESS");
        rule.put("warning_high", 8.0);
        rule.put("critical_high", 9.5);
        putRule(rule);
        send("PRESS", 1000, 9.0);
        assertThat(drain()).containsExactly("PRESS RAISED HIGH WARNING 9.0/8.0 r1");

        rule.put("critical_high", 8.5);
        rule.put("__op", "u");
        putRule(rule);
        send("PRESS", 2000, 9.0);
        assertThat(drain()).containsExactly("PRESS ESCALATED HIGH CRITICAL 9.0/8.5 r1");

        // a less specific rule does not matter while the exact one exists
        GenericRecord site = DebeziumThresholds.row("site-wide", "A1", "*", "*");
        site.put("warning_high", 100.0);
        putRule(site);
        send("PRESS", 3000, 9.0);
        assertThat(drain()).isEmpty();

        rules.pipeInput(DebeziumThresholds.key("r1"), (byte[]) null);   // DELETE -> tombstone: the site rule applies
        send("PRESS", 4000, 9.0);
        assertThat(drain()).containsExactly("PRESS CLEARED HIGH CRITICAL 9.0/null site-wide");
        rules.pipeInput(DebeziumThresholds.key("site-wide"), (byte[]) null);   // and now the address map's hi 10
        send("PRESS", 5000, 10.5);
        assertThat(drain()).containsExactly("PRESS RAISED HIGH WARNING 10.5/10.0 address-map");
        // the global store holds exactly the live rules
        try (var all = driver.getKeyValueStore(AlertsTopology.THRESHOLDS_STORE).all()) {
            assertThat(all.hasNext()).isFalse();
        }
    }

    @Test
    void anUnreadableRuleIsSkippedAndThePreviousVersionStays() throws Exception {
        start();
        GenericRecord rule = DebeziumThresholds.row("r1", "A1", "PUMP01", "PRESS");
        rule.put("warning_high", 8.0);
        putRule(rule);
        rules.pipeInput(DebeziumThresholds.key("r1"), new byte[] {1, 2, 3});
        send("PRESS", 0, 9.0);
        assertThat(drain()).containsExactly("PRESS RAISED HIGH WARNING 9.0/8.0 r1");
    }

    @Test
    void staleIsDrivenByTheWallClockWhenNothingArrives() throws Exception {
        start();
        send("PRESS", 0, 5.0);
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(drain()).isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(31));
        List<TestRecord<String, AlertEvent>> stale = output.readRecordsToList();
        assertThat(stale).extracting(AlertsTopologyTest::describe).containsExactly("PRESS RAISED STALE CRITICAL null/null address-map");
        assertThat(stale.get(0).value().getTs().toEpochMilli()).isBetween(T0 + 60_000, T0 + 62_000);
        assertThat(stale.get(0).value().getMessage()).contains("no reading for 6");
        driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(drain()).as("raised once").isEmpty();
        send("PRESS", 1000, 5.0);
        List<TestRecord<String, AlertEvent>> cleared = output.readRecordsToList();
        assertThat(cleared).extracting(AlertsTopologyTest::describe).containsExactly("PRESS CLEARED STALE CRITICAL 5.0/null address-map");
        assertThat(cleared.get(0).key()).isEqualTo(stale.get(0).key());
    }

    @Test
    void aRestartFromTheChangelogEmitsNoDuplicatesAndLosesNoActiveAlert() throws Exception {
        start();
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(),
                new ByteArrayDeserializer());
        send("PRESS", 0, 5.0);
        send("PRESS", 1000, 11.0);
        send("PRESS", 2000, 11.5);
        send("TEMP", 2000, 20.0);
        List<TestRecord<String, AlertEvent>> before = output.readRecordsToList();
        assertThat(before).extracting(AlertsTopologyTest::describe).containsExactly("PRESS RAISED HIGH WARNING 11.0/10.0 address-map");
        List<KeyValue<String, byte[]>> changes = changelog.readKeyValuesToList();
        assertThat(changes).isNotEmpty();
        driver.close();

        // a new instance restores the store from the changelog, then the uncommitted input comes again
        start();
        KeyValueStore<String, TagAlertState> store = driver.getKeyValueStore(AlertsTopology.STORE);
        assertThat(store.approximateNumEntries()).isZero();
        for (KeyValue<String, byte[]> change : changes) {
            store.put(change.key, change.value == null ? null : TagAlertState.fromBytes(change.value));
        }
        send("PRESS", 0, 5.0);
        send("PRESS", 1000, 11.0);
        send("PRESS", 2000, 11.5);
        assertThat(drain()).as("a replay emits nothing").isEmpty();
        // 11.5 changed only the reading time, which is written at most once a second: judged again, no effect
        assertThat(metrics.outOfOrderCount()).isEqualTo(2);

        send("PRESS", 3000, 12.0);
        send("PRESS", 4000, 5.0);
        List<TestRecord<String, AlertEvent>> after = output.readRecordsToList();
        assertThat(after).extracting(AlertsTopologyTest::describe).containsExactly("PRESS CLEARED HIGH WARNING 5.0/10.0 address-map");
        assertThat(after.get(0).key()).as("the episode raised before the restart").isEqualTo(before.get(0).key());

        // TEMP was only restored, never seen by this instance: still watched for STALE, counted from the restart
        driver.advanceWallClockTime(Duration.ofSeconds(61));
        assertThat(drain()).containsExactlyInAnyOrder("TEMP RAISED STALE CRITICAL null/null address-map",
                "PRESS RAISED STALE CRITICAL null/null address-map");
    }

    @Test
    void afterADowntimeOfTheAppStaleCountsFromTheRestart() throws Exception {
        start();
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(),
                new ByteArrayDeserializer());
        send("PRESS", 0, 5.0);
        List<KeyValue<String, byte[]>> changes = changelog.readKeyValuesToList();
        driver.close();

        start(WALL.plus(Duration.ofMinutes(10)));   // the app was down for 10 minutes
        KeyValueStore<String, TagAlertState> store = driver.getKeyValueStore(AlertsTopology.STORE);
        changes.forEach(change -> store.put(change.key, TagAlertState.fromBytes(change.value)));
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(drain()).as("its backlog may still be on the way").isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(31));
        List<TestRecord<String, AlertEvent>> stale = output.readRecordsToList();
        assertThat(stale).extracting(AlertsTopologyTest::describe).containsExactly("PRESS RAISED STALE CRITICAL null/null address-map");
        assertThat(stale.get(0).value().getMessage()).contains("no reading for 66");
    }

    @Test
    void readingTimesAloneAreWrittenAtMostOnceASecondEveryOtherChangeAtOnce() throws Exception {
        start();
        KeyValueStore<String, TagAlertState> store = driver.getKeyValueStore(AlertsTopology.STORE);
        send("PRESS", 0, 5.0);
        assertThat(store.get("A1/PUMP01/PRESS").lastTs).isEqualTo(T0);
        send("PRESS", 100, 6.0);
        assertThat(store.get("A1/PUMP01/PRESS").lastTs).as("only the time changed").isEqualTo(T0);
        send("PRESS", 200, 11.0);
        assertThat(store.get("A1/PUMP01/PRESS").lastTs).as("raised: written at once").isEqualTo(T0 + 200);
        assertThat(store.get("A1/PUMP01/PRESS").limitEpisode()).isNotNull();
        send("PRESS", 300, 11.5);
        assertThat(store.get("A1/PUMP01/PRESS").lastTs).isEqualTo(T0 + 200);
        driver.advanceWallClockTime(Duration.ofMillis(AlertProcessor.PERSIST_TIMES_EVERY_MS));
        send("PRESS", 400, 11.5);
        assertThat(store.get("A1/PUMP01/PRESS").lastTs).as("a second later").isEqualTo(T0 + 400);
        assertThat(store.get("A1/PUMP01/PRESS").lastSeenWall()).isEqualTo(T0 + AlertProcessor.PERSIST_TIMES_EVERY_MS);
    }

    @Test
    void anUnreadableReadingIsDeadLetteredAndTheAppContinues() throws Exception {
        start();
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(IN, new StringSerializer(), new ByteArraySerializer());
        send("PRESS", 0, 5.0);
        raw.pipeInput("A1/PUMP01/PRESS", new byte[] {1, 2, 3});
        send("PRESS", 1000, 11.0);
        // the dead-letter record itself is checked against the real broker (AlertsIT): with this topology the
        // test driver does not show it on the dead-letter topic (not investigated further)
        assertThat(metrics.deadLetteredCount()).isEqualTo(1);
        assertThat(drain()).containsExactly("PRESS RAISED HIGH WARNING 11.0/10.0 address-map");
    }

    @Test
    void badQualityFromARuleAndTheIdIsDeterministic() throws Exception {
        start();
        GenericRecord rule = DebeziumThresholds.row("bad", "*", "*", "PRESS");
        rule.put("bad_quality_after_ms", 2000L);
        putRule(rule);
        send("PRESS", 0, null, Quality.BAD);
        send("PRESS", 1000, null, Quality.BAD);
        send("PRESS", 2000, null, Quality.BAD);
        send("PRESS", 3000, 5.0, Quality.GOOD);
        List<TestRecord<String, AlertEvent>> records = output.readRecordsToList();
        assertThat(records).extracting(AlertsTopologyTest::describe).containsExactly(
                "PRESS RAISED BAD_QUALITY WARNING null/null bad", "PRESS CLEARED BAD_QUALITY WARNING 5.0/null bad");
        assertThat(records.get(0).key()).isEqualTo(Episode.id("A1/PUMP01/PRESS", AlertKind.BAD_QUALITY, T0 + 2000));
    }
}
