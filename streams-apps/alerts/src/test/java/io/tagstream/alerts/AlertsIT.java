package io.tagstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.schema.AlertEvent;
import io.tagstream.schema.AlertKind;
import io.tagstream.schema.AlertState;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.schema.Severity;
import io.tagstream.stack.ConnectorConfigs;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.DeadLetters;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;
import io.tagstream.streams.common.StreamsAppRunner.RunningApp;
import io.tagstream.testkit.ConnectRest;
import io.tagstream.testkit.StackDatabase;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * The alerts app against the real stack: a rule changed with plain SQL in ops.thresholds reaches the app
 * through Debezium (connectors/config/cdc-ops.json, registered under a name and slot of its own) and the
 * next reading is judged by it; a restart with the local state wiped (restored from the changelog) keeps
 * the active alert and emits no duplicate; unreadable input is dead-lettered.
 */
class AlertsIT {

    private static final String THRESHOLDS_TOPIC = "ops.thresholds";

    private static StackEndpoints stack;
    private static StackKafka kafka;
    private static ConnectRest connect;
    private static StackDatabase database;
    private static String run;
    private static String connector;
    private static String slot;
    private static String rule;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void registerCdc() throws Exception {
        stack = SharedStack.get();
        kafka = new StackKafka(stack);
        connect = new ConnectRest(stack);
        database = new StackDatabase(stack);
        run = TestIds.next();
        rule = "it-alerts-" + run;
        // normally created by the stack or by Debezium; the global store needs it before the first change
        kafka.createTopicIfMissing(new NewTopic(THRESHOLDS_TOPIC, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        var repo = SharedStack.findRepo();
        ObjectNode config = (ObjectNode) ConnectorConfigs.read(repo.resolve("connectors/config/cdc-ops.json"), stack, repo)
                .path("config");
        connector = "it-alerts-cdc-" + run;
        slot = "it_alerts_" + run;
        config.put("slot.name", slot); // its own slot; the router still writes to the shared ops.* topics
        config.put("snapshot.mode", "no_data");
        connect.put(connector, config);
        connect.awaitRunning(connector, Duration.ofSeconds(60));
        Thread.sleep(2000); // the task reports RUNNING before its replication stream is open
    }

    @AfterAll
    static void removeCdc() throws Exception {
        if (stack == null) {
            return;
        }
        database.execute("DELETE FROM ops.thresholds WHERE rule_id = '" + rule + "'"); // its tombstone goes out while CDC runs
        Thread.sleep(2000);
        connect.delete(connector);
        database.dropReplicationSlot(slot, Duration.ofSeconds(30));
    }

    @Test
    void sqlChangesToThresholdsDriveAlertsAndARestartNeitherDuplicatesNorLosesThem() throws Exception {
        String prefix = "it-alerts-" + run;
        String clean = prefix + "-clean";
        String events = prefix + "-events";
        String dlq = prefix + "-dlq";
        kafka.createTopics(2, clean, events, dlq);
        String site = "ITA" + run;
        Serde<Reading> readings = ReadingSerdes.reading(stack.registryApiUrl());
        Serde<AlertEvent> alertSerde = AlertSerdes.alertEvent(stack.registryApiUrl());

        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        values.put(StreamsAppConfig.REGISTRY_URL, stack.registryApiUrl());
        values.put(StreamsAppConfig.APPLICATION_ID, prefix);
        values.put(StreamsAppConfig.INPUT_TOPIC, clean);
        values.put(StreamsAppConfig.OUTPUT_TOPIC, events);
        values.put(StreamsAppConfig.DLQ_TOPIC, dlq);
        values.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("state").toString());
        values.put(StreamsAppConfig.ADDRESS_MAP_PATH, "");
        values.put(AlertsConfig.THRESHOLDS_TOPIC, THRESHOLDS_TOPIC);
        values.put(AlertsConfig.DEFAULT_STALE_AFTER_MS, "0");
        values.put(AlertsConfig.DEFAULT_BAD_QUALITY_AFTER_MS, "-1");
        values.put("streams.consumer.auto.offset.reset", "earliest");
        AlertsConfig config = new AlertsConfig(values);

        List<AlertEvent> seen = new ArrayList<>();
        try (KafkaProducer<String, Reading> producer = kafka.producer(readings.serializer());
             KafkaConsumer<String, AlertEvent> consumer = kafka.consumer(new StringDeserializer(), alertSerde.deserializer())) {
            consumer.subscribe(List.of(events));
            Feed feed = new Feed(producer, consumer, clean, site, seen);

            AlertEvent raised;
            AppMetrics metrics = new AppMetrics();
            try (RunningApp app = ready(StreamsAppRunner.start("alerts-it", config, AlertsApp.topology(config, metrics), metrics))) {
                feed.await(Duration.ofSeconds(3), e -> false);   // no rule for this site yet: nothing to say
                assertThat(seen).isEmpty();

                long inserted = sql("INSERT INTO ops.thresholds (rule_id, site, device, tag, warning_high, critical_high) "
                        + "VALUES ('" + rule + "', '" + site + "', 'PUMP01', 'PRESS', 8, 10)");
                raised = feed.await(Duration.ofSeconds(60), e -> e.getState() == AlertState.RAISED);
                System.out.printf("INSERT -> RAISED in %d ms%n", System.currentTimeMillis() - inserted);
                assertThat(raised.getKind()).isEqualTo(AlertKind.HIGH);
                assertThat(raised.getSeverity()).isEqualTo(Severity.WARNING);
                assertThat(raised.getRuleId()).isEqualTo(rule);
                assertThat(raised.getThreshold()).isEqualTo(8.0);
                assertThat(raised.getSite()).isEqualTo(site);

                long updated = sql("UPDATE ops.thresholds SET critical_high = 8.5 WHERE rule_id = '" + rule + "'");
                AlertEvent escalated = feed.await(Duration.ofSeconds(60), e -> e.getState() == AlertState.ESCALATED);
                long latency = System.currentTimeMillis() - updated;
                System.out.printf("UPDATE -> ESCALATED in %d ms%n", latency);
                assertThat(latency).as("the app reacts within seconds").isLessThan(20_000);
                assertThat(escalated.getAlertId()).isEqualTo(raised.getAlertId());
                assertThat(escalated.getSeverity()).isEqualTo(Severity.CRITICAL);
                assertThat(escalated.getThreshold()).isEqualTo(8.5);

                // unreadable input goes to the dead-letter topic, in the same transaction, and the app goes on
                kafka.sendRaw(clean, site + "/PUMP01/PRESS", "not avro".getBytes(StandardCharsets.UTF_8));
                List<ConsumerRecord<byte[], byte[]>> dead = kafka.readUpTo(dlq, 1, Duration.ofSeconds(30));
                assertThat(dead).as("on %s", dlq).isNotEmpty();
                assertThat(StackKafka.header(dead.get(0), DeadLetters.HEADER_REASON)).isEqualTo("DESERIALIZATION");
            }

            // a restart with the local state gone: the store comes back from its changelog
            deleteRecursively(stateDir.resolve("state"));
            int before = seen.size();
            AppMetrics restarted = new AppMetrics();
            try (RunningApp app = ready(StreamsAppRunner.start("alerts-it", config, AlertsApp.topology(config, restarted),
                    restarted))) {
                feed.await(Duration.ofSeconds(5), e -> false);
                assertThat(seen.subList(before, seen.size())).as("no duplicate after the restart").isEmpty();

                long updated = sql("UPDATE ops.thresholds SET warning_high = 9.5, critical_high = NULL WHERE rule_id = '" + rule + "'");
                AlertEvent cleared = feed.await(Duration.ofSeconds(60), e -> e.getState() == AlertState.CLEARED);
                System.out.printf("UPDATE -> CLEARED in %d ms (after restart)%n", System.currentTimeMillis() - updated);
                assertThat(cleared.getAlertId()).as("the episode raised before the restart").isEqualTo(raised.getAlertId());
                assertThat(cleared.getSeverity()).isEqualTo(Severity.CRITICAL);
                assertThat(cleared.getRaisedAt()).isEqualTo(raised.getRaisedAt());
            }
            assertThat(seen).extracting(e -> e.getState().name()).containsExactly("RAISED", "ESCALATED", "CLEARED");
        }
        kafka.deleteTopics(List.of(clean, events, dlq), "it-alerts-" + run);
    }

    /** Sends a reading of 9.0 every 300 ms and collects alert events until one matches. */
    private record Feed(KafkaProducer<String, Reading> producer, KafkaConsumer<String, AlertEvent> consumer, String topic,
                        String site, List<AlertEvent> seen) {

        AlertEvent await(Duration timeout, Predicate<AlertEvent> wanted) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                long now = System.currentTimeMillis();
                Reading reading = Reading.newBuilder().setTs(Instant.ofEpochMilli(now)).setSite(site).setLine("L1")
                        .setDevice("PUMP01").setTag("PRESS").setValue(9.0).setUnit("bar").setQuality(Quality.GOOD)
                        .setOrigin(Origin.MEASURED).setImputation(null).setSource("it").build();
                producer.send(new ProducerRecord<>(topic, null, now, site + "/PUMP01/PRESS", reading)).get();
                for (ConsumerRecord<String, AlertEvent> record : consumer.poll(Duration.ofMillis(300))) {
                    assertThat(record.key()).isEqualTo(record.value().getAlertId());
                    seen.add(record.value());
                    if (wanted.test(record.value())) {
                        return record.value();
                    }
                }
            }
            if (timeout.toSeconds() > 10) {
                throw new AssertionError("no matching alert event within " + timeout + "; seen " + seen + "; connector "
                        + connect.status(connector));
            }
            return null;
        }
    }

    /** Runs a statement as its own transaction; returns the wall-clock time it committed. */
    private static long sql(String statement) throws SQLException {
        database.execute(statement);
        return System.currentTimeMillis();
    }

    private static RunningApp ready(RunningApp app) {
        Awaitility.await("app running").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING));
        return app;
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(path);
                }
            }
        }
    }
}
