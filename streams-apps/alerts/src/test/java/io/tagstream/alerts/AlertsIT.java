package io.tagstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
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
import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.DeadLetters;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;
import io.tagstream.streams.common.StreamsAppRunner.RunningApp;

/**
 * The alerts app against the real stack: a rule changed with plain SQL in ops.thresholds reaches the app
 * through Debezium (connectors/config/cdc-ops.json, registered under a name and slot of its own) and the
 * next reading is judged by it; a restart with the local state wiped (restored from the changelog) keeps
 * the active alert and emits no duplicate; unreadable input is dead-lettered.
 */
class AlertsIT {

    private static final String THRESHOLDS_TOPIC = "ops.thresholds";

    private static StackEndpoints stack;
    private static String run;
    private static String connector;
    private static String slot;
    private static String rule;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void registerCdc() throws Exception {
        stack = SharedStack.get();
        run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        rule = "it-alerts-" + run;
        ensureThresholdsTopic();
        var repo = SharedStack.findRepo();
        ObjectNode config = (ObjectNode) ConnectorConfigs.read(repo.resolve("connectors/config/cdc-ops.json"), stack, repo)
                .path("config");
        connector = "it-alerts-cdc-" + run;
        slot = "it_alerts_" + run;
        config.put("slot.name", slot); // its own slot; the router still writes to the shared ops.* topics
        config.put("snapshot.mode", "no_data");
        JsonHttp.Response response = JsonHttp.put(stack.connectUrl() + "/connectors/" + connector + "/config",
                JsonHttp.mapper().writeValueAsString(config));
        assertThat(response.status()).as(response.body()).isIn(200, 201);
        awaitRunning();
    }

    @AfterAll
    static void removeCdc() throws Exception {
        if (stack == null) {
            return;
        }
        try (Connection db = admin(); Statement st = db.createStatement()) {
            st.execute("DELETE FROM ops.thresholds WHERE rule_id = '" + rule + "'"); // its tombstone goes out while CDC runs
        }
        Thread.sleep(2000);
        JsonHttp.delete(stack.connectUrl() + "/connectors/" + connector);
        // an abandoned slot would hold WAL forever; drop it once the task has let go
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection db = admin(); Statement st = db.createStatement()) {
                st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
                return;
            } catch (SQLException stillActive) {
                Thread.sleep(500);
            }
        }
    }

    @Test
    void sqlChangesToThresholdsDriveAlertsAndARestartNeitherDuplicatesNorLosesThem() throws Exception {
        String prefix = "it-alerts-" + run;
        String clean = prefix + "-clean";
        String events = prefix + "-events";
        String dlq = prefix + "-dlq";
        createTopics(clean, events, dlq);
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
        try (KafkaProducer<String, Reading> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                readings.serializer());
             KafkaConsumer<String, AlertEvent> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, prefix + "-reader",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                     alertSerde.deserializer())) {
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
                try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                        new ByteArraySerializer())) {
                    raw.send(new ProducerRecord<>(clean, site + "/PUMP01/PRESS", "not avro".getBytes(StandardCharsets.UTF_8))).get();
                }
                assertThat(deadLetterReason(dlq)).isEqualTo("DESERIALIZATION");
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
        deleteTopics(clean, events, dlq);
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
                        + JsonHttp.get(stack.connectUrl() + "/connectors/" + connector + "/status").body());
            }
            return null;
        }
    }

    private static String deadLetterReason(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    return new String(record.headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("nothing on " + topic);
    }

    /** Runs a statement as its own transaction; returns the wall-clock time it committed. */
    private static long sql(String statement) throws SQLException {
        try (Connection db = admin(); Statement st = db.createStatement()) {
            st.execute(statement);
        }
        return System.currentTimeMillis();
    }

    private static RunningApp ready(RunningApp app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (app.state() != KafkaStreams.State.RUNNING) {
            assertThat(System.nanoTime()).as("app running within 90 s, state %s", app.state()).isLessThan(deadline);
            Thread.sleep(200);
        }
        return app;
    }

    private static void ensureThresholdsTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(THRESHOLDS_TOPIC)) {
                // normally created by the stack or by Debezium; the global store needs it before the first change
                admin.createTopics(List.of(new NewTopic(THRESHOLDS_TOPIC, 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
            }
        }
    }

    private static void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, 2, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    private static void deleteTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Set<String> internal = new java.util.HashSet<>(List.of(names));
            for (String topic : admin.listTopics().names().get()) {
                if (topic.startsWith("it-alerts-" + run)) {
                    internal.add(topic);
                }
            }
            admin.deleteTopics(internal).all().get();
        }
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

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.postgresSuperuser(), stack.postgresPassword());
    }

    private static void awaitRunning() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            JsonHttp.Response response = JsonHttp.get(stack.connectUrl() + "/connectors/" + connector + "/status");
            status = response.body();
            var json = response.json();
            boolean running = "RUNNING".equals(json.path("connector").path("state").asText()) && json.path("tasks").size() > 0;
            for (var task : json.path("tasks")) {
                running &= "RUNNING".equals(task.path("state").asText());
            }
            if (running) {
                Thread.sleep(2000); // the task reports RUNNING before its replication stream is open
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("CDC connector not running: " + status);
    }
}
