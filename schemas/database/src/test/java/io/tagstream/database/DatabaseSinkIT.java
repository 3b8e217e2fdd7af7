package io.tagstream.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.schema.Aggregate;
import io.tagstream.schema.AlertEvent;
import io.tagstream.schema.AlertKind;
import io.tagstream.schema.AlertState;
import io.tagstream.schema.Imputation;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.schema.Severity;
import io.tagstream.stack.ConnectorConfigs;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.ConnectRest;
import io.tagstream.testkit.StackDatabase;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * The sink configs of connectors/config/sinks (both implementations: our COPY sink and Debezium's JDBC
 * sink), run as they are in the real Connect worker: Avro records on the output topics land in their
 * tables, once per natural key even when a record is delivered twice.
 */
class DatabaseSinkIT {

    private static final List<String> SINKS = List.of("sink-telemetry-readings", "sink-telemetry-agg-1m",
            "sink-telemetry-agg-1h", "sink-alert-events");
    private static StackEndpoints stack;
    private static StackKafka kafka;
    private static ConnectRest connect;
    private static StackDatabase database;
    private static final List<String> registered = new ArrayList<>();
    /** Each test's sinks read topics of their own, so records of other tests (and runs) never reach them. */
    private static String topicPrefix = "";

    @BeforeAll
    static void stack() {
        stack = SharedStack.get();
        kafka = new StackKafka(stack);
        connect = new ConnectRest(stack);
        database = new StackDatabase(stack);
    }

    private static void registerSinks(String implementation) throws Exception {
        Path repo = SharedStack.findRepo();
        String id = TestIds.next();
        topicPrefix = "it." + id + ".";
        Map<String, ObjectNode> configs = new java.util.LinkedHashMap<>();
        List<String> topics = new ArrayList<>();
        for (String sink : SINKS) {
            ObjectNode connector = ConnectorConfigs.read(repo.resolve("connectors/config/sinks/" + implementation + "/" + sink + ".json"),
                    stack, repo);
            ObjectNode config = (ObjectNode) connector.path("config");
            String topic = topic(config.path("topics").asText());
            config.put("topics", topic);
            topics.add(topic);
            // own name, so the test's sinks never collide with the platform's own
            configs.put("it-" + id + "-" + sink, config);
        }
        kafka.createTopics(1, topics.toArray(String[]::new));
        for (Map.Entry<String, ObjectNode> entry : configs.entrySet()) {
            connect.put(entry.getKey(), entry.getValue());
            registered.add(entry.getKey());
        }
    }

    /** The current test's copy of a platform topic. */
    private static String topic(String platformTopic) {
        return topicPrefix + platformTopic;
    }

    /** Each test's sinks go with it, so a later test's records are written (and refused) by its own sinks only. */
    @AfterEach
    void removeSinks() throws Exception {
        for (String name : registered) {
            connect.delete(name);
        }
        registered.clear();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"copy", "jdbc"})
    void recordsLandOncePerNaturalKey(String implementation) throws Exception {
        registerSinks(implementation);
        String site = "SINK-" + implementation + "-" + TestIds.next();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        Reading measured = Reading.newBuilder().setTs(t0).setSite(site).setLine("L1").setDevice("PUMP01").setTag("PRESS")
                .setValue(4.25).setUnit("bar").setQuality(Quality.GOOD).setOrigin(Origin.MEASURED).setImputation(null)
                .setSource("it").build();
        Reading imputed = Reading.newBuilder(measured).setTs(t0.plusSeconds(1)).setValue(4.5).setQuality(Quality.UNCERTAIN)
                .setOrigin(Origin.IMPUTED).setImputation(Imputation.LINEAR).build();
        Reading bad = Reading.newBuilder(measured).setTs(t0.plusSeconds(2)).setValue(null).setQuality(Quality.BAD).build();
        Aggregate minute = Aggregate.newBuilder().setSite(site).setLine("L1").setDevice("PUMP01").setTag("PRESS")
                .setWindowStart(t0).setWindowEnd(t0.plusSeconds(60)).setCount(60).setImputedCount(2).setBadCount(1)
                .setMin(4.0).setMax(5.0).setSum(266.0).setAvg(4.5).setFirst(4.25).setLast(4.75).setStddev(0.25)
                .setTwa(4.49).setUnit("bar").build();
        Aggregate hour = Aggregate.newBuilder(minute).setWindowEnd(t0.plusSeconds(3600)).setCount(3600).build();
        AlertEvent raised = AlertEvent.newBuilder().setAlertId(site + "-a1").setSite(site).setLine("L1").setDevice("PUMP01")
                .setTag("PRESS").setRuleId("default-hi").setKind(AlertKind.HIGH).setSeverity(Severity.WARNING)
                .setState(AlertState.RAISED).setValue(10.5).setThreshold(10.0).setTs(t0).setRaisedAt(t0)
                .setMessage("PRESS above 10 bar").build();

        String key = site + "/PUMP01/PRESS";
        try (KafkaProducer<String, SpecificRecord> producer = kafka.producer(kafka.avroSerializer())) {
            for (int delivery = 0; delivery < 2; delivery++) { // everything twice: a redelivery must not duplicate
                producer.send(new ProducerRecord<>(topic("telemetry.clean"), key, measured)).get();
                producer.send(new ProducerRecord<>(topic("telemetry.clean"), key, imputed)).get();
                producer.send(new ProducerRecord<>(topic("telemetry.clean"), key, bad)).get();
                producer.send(new ProducerRecord<>(topic("telemetry.agg.1m"), key, minute)).get();
                producer.send(new ProducerRecord<>(topic("telemetry.agg.1h"), key, hour)).get();
                producer.send(new ProducerRecord<>(topic("alerts.events"), raised.getAlertId(), raised)).get();
            }
        }

        try (Connection db = database.as("viewer")) {
            awaitRows(db, "SELECT count(*) FROM telemetry.readings WHERE site = ?", site, 3);
            awaitRows(db, "SELECT count(*) FROM telemetry.agg_1m WHERE site = ?", site, 1);
            awaitRows(db, "SELECT count(*) FROM telemetry.agg_1h WHERE site = ?", site, 1);
            awaitRows(db, "SELECT count(*) FROM alerts.events WHERE site = ?", site, 1);
            // give redeliveries time to (wrongly) show up before the exact-count check
            Thread.sleep(2000);
            assertThat(rows(db, "SELECT ts, value, quality, origin, imputation, unit, line, source FROM telemetry.readings "
                    + "WHERE site = ? ORDER BY ts", site)).containsExactly(
                    "2026-03-01T10:00:00Z|4.25|GOOD|MEASURED|null|bar|L1|it",
                    "2026-03-01T10:00:01Z|4.5|UNCERTAIN|IMPUTED|LINEAR|bar|L1|it",
                    "2026-03-01T10:00:02Z|null|BAD|MEASURED|null|bar|L1|it");
            assertThat(rows(db, "SELECT window_start, window_end, count, imputed_count, bad_count, min, max, sum, avg, first, last, "
                    + "stddev, twa FROM telemetry.agg_1m WHERE site = ?", site)).containsExactly(
                    "2026-03-01T10:00:00Z|2026-03-01T10:01:00Z|60|2|1|4.0|5.0|266.0|4.5|4.25|4.75|0.25|4.49");
            assertThat(rows(db, "SELECT count, window_end FROM telemetry.agg_1h WHERE site = ?", site))
                    .containsExactly("3600|2026-03-01T11:00:00Z");
            assertThat(rows(db, "SELECT alert_id, state, severity, kind, value, threshold, message FROM alerts.active WHERE site = ?", site))
                    .containsExactly(site + "-a1|RAISED|WARNING|HIGH|10.5|10.0|PRESS above 10 bar");

            // a later batch meets rows already stored (a redelivery after a crash, here with a corrected
            // value): it updates them in place
            try (KafkaProducer<String, SpecificRecord> producer = kafka.producer(kafka.avroSerializer())) {
                producer.send(new ProducerRecord<>(topic("telemetry.clean"), key, Reading.newBuilder(measured).setValue(4.3).build())).get();
                producer.send(new ProducerRecord<>(topic("telemetry.clean"), key, Reading.newBuilder(measured).setTs(t0.plusSeconds(3)).build())).get();
            }
            awaitRows(db, "SELECT count(*) FROM telemetry.readings WHERE site = ?", site, 4);
            assertThat(rows(db, "SELECT ts, value FROM telemetry.readings WHERE site = ? ORDER BY ts", site)).containsExactly(
                    "2026-03-01T10:00:00Z|4.3", "2026-03-01T10:00:01Z|4.5", "2026-03-01T10:00:02Z|null", "2026-03-01T10:00:03Z|4.25");
        }
    }

    /** A row the database refuses (a window that ends where it starts) goes to dlq.sink; the rest land. */
    @Test
    void copySinkSendsRefusedRowsToTheDeadLetterTopicAndKeepsGoing() throws Exception {
        registerSinks("copy");
        String site = "SINK-BAD-" + TestIds.next();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        Aggregate good = Aggregate.newBuilder().setSite(site).setLine(null).setDevice("FAN01").setTag("SPEED")
                .setWindowStart(t0).setWindowEnd(t0.plusSeconds(60)).setCount(1).setImputedCount(0).setBadCount(0)
                .setMin(1.0).setMax(1.0).setSum(1.0).setAvg(1.0).setFirst(1.0).setLast(1.0).setStddev(0.0).setTwa(1.0)
                .setUnit("rpm").build();
        Aggregate refused = Aggregate.newBuilder(good).setWindowStart(t0.plusSeconds(60)).setWindowEnd(t0.plusSeconds(60)).build();
        Aggregate later = Aggregate.newBuilder(good).setWindowStart(t0.plusSeconds(120)).setWindowEnd(t0.plusSeconds(180)).build();
        String key = site + "/FAN01/SPEED";
        long dlqEnd = endOffset("dlq.sink");
        try (KafkaProducer<String, SpecificRecord> producer = kafka.producer(kafka.avroSerializer())) {
            producer.send(new ProducerRecord<>(topic("telemetry.agg.1m"), key, good)).get();
            producer.send(new ProducerRecord<>(topic("telemetry.agg.1m"), key, refused)).get();
            producer.send(new ProducerRecord<>(topic("telemetry.agg.1m"), key, later)).get();
        }
        try (Connection db = database.as("viewer")) {
            awaitRows(db, "SELECT count(*) FROM telemetry.agg_1m WHERE site = ?", site, 2);
            assertThat(rows(db, "SELECT window_start FROM telemetry.agg_1m WHERE site = ? ORDER BY window_start", site))
                    .containsExactly("2026-03-01T10:00:00Z", "2026-03-01T10:02:00Z");
        }
        String ownSink = registered.stream().filter(n -> n.endsWith("sink-telemetry-agg-1m")).findFirst().orElseThrow();
        List<ConsumerRecord<byte[], byte[]>> dead = readFrom("dlq.sink", dlqEnd, key).stream()
                .filter(r -> ownSink.equals(StackKafka.header(r, "__connect.errors.connector.name"))).toList();
        assertThat(dead).as("refused rows in dlq.sink from %s", ownSink).hasSize(1);
        String reason = StackKafka.header(dead.get(0), "__connect.errors.exception.message");
        assertThat(reason).contains("telemetry.agg_1m").contains("check constraint");
    }

    private static long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** The records of this key on the topic's partition 0 from the offset on: what arrives within 30 s. */
    private static List<ConsumerRecord<byte[], byte[]>> readFrom(String topic, long offset, String key) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** Waits until the count query for the site reaches the expected count; fails when it is or stays another. */
    private static void awaitRows(Connection db, String sql, String site, long expected) throws SQLException {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(Long.parseLong(StackDatabase.firstValue(db, sql, site))).as(() -> sql + sinkStatus())
                        .isGreaterThanOrEqualTo(expected));
        assertThat(Long.parseLong(StackDatabase.firstValue(db, sql, site))).as(() -> sql + sinkStatus()).isEqualTo(expected);
    }

    private static String sinkStatus() {
        StringBuilder out = new StringBuilder();
        for (String name : registered) {
            out.append("\n").append(name).append(": ").append(connect.status(name));
        }
        return out.toString();
    }

    private static List<String> rows(Connection db, String sql, String site) throws SQLException {
        return StackDatabase.rows(db, sql, site);
    }
}
