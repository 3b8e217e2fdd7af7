package io.tagstream.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.stack.ConnectorConfigs;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.ConnectRest;
import io.tagstream.testkit.StackDatabase;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * connectors/config/cdc-ops.json in the real Connect worker: a plain SQL change to ops.thresholds reaches
 * the compacted ops.thresholds topic flattened and keyed by the primary key; a delete becomes a tombstone.
 */
class OperationalCdcIT {

    private static StackEndpoints stack;
    private static StackKafka kafka;
    private static ConnectRest connect;
    private static StackDatabase database;
    private static String connector;
    private static String replica;
    private static String slot;

    @BeforeAll
    static void registerCdc() throws Exception {
        stack = SharedStack.get();
        kafka = new StackKafka(stack);
        connect = new ConnectRest(stack);
        database = new StackDatabase(stack);
        var repo = SharedStack.findRepo();
        ObjectNode config = (ObjectNode) ConnectorConfigs.read(repo.resolve("connectors/config/cdc-ops.json"), stack, repo).path("config");
        String run = TestIds.next();
        connector = "it-cdc-" + run;
        slot = "it_cdc_" + run;
        // its own slot and prefix; the router still writes to the shared ops.* topics
        config.put("slot.name", slot);
        config.put("topic.prefix", "cdc");
        config.put("snapshot.mode", "no_data");
        connect.put(connector, config);
        connect.awaitRunning(connector, Duration.ofSeconds(60));
        Thread.sleep(2000); // the task reports RUNNING before its replication stream is open

        ObjectNode replicaConfig = (ObjectNode) ConnectorConfigs.read(repo.resolve("connectors/config/sink-ops-replica.json"), stack, repo)
                .path("config");
        replica = "it-replica-" + run;
        connect.put(replica, replicaConfig);
        connect.awaitRunning(replica, Duration.ofSeconds(60));
        Thread.sleep(2000);
    }

    @AfterAll
    static void removeCdc() throws Exception {
        connect.delete(replica);
        connect.delete(connector);
        database.dropReplicationSlot(slot, Duration.ofSeconds(30));
    }

    @Test
    void thresholdChangesReachTheTopicAndDeletesBecomeTombstones() throws Exception {
        String rule = "it-" + TestIds.next();
        try (KafkaConsumer<Object, Object> consumer = kafka.consumer(kafka.genericAvroDeserializer(true),
                kafka.genericAvroDeserializer(false))) {
            TopicPartition partition = new TopicPartition("ops.thresholds", 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);

            database.execute("INSERT INTO ops.thresholds (rule_id, site, device, tag, warning_high, critical_high, hysteresis, on_delay_ms) "
                            + "VALUES ('" + rule + "', 'A1', 'PUMP01', 'PRESS', 8, 10, 0.5, 2000)",
                    "UPDATE ops.thresholds SET warning_high = 8.5 WHERE rule_id = '" + rule + "'",
                    "DELETE FROM ops.thresholds WHERE rule_id = '" + rule + "'");

            List<ConsumerRecord<Object, Object>> events = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (events.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<Object, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() instanceof GenericRecord key && rule.equals(String.valueOf(key.get("rule_id")))) {
                        events.add(record);
                    }
                }
            }
            assertThat(events).as("insert, update and delete of %s", rule).hasSize(3);
            GenericRecord inserted = (GenericRecord) events.get(0).value();
            assertThat(inserted.get("warning_high")).isEqualTo(8.0);
            assertThat(inserted.get("critical_high")).isEqualTo(10.0);
            assertThat(inserted.get("hysteresis")).isEqualTo(0.5);
            assertThat(inserted.get("on_delay_ms")).isEqualTo(2000L);
            assertThat(String.valueOf(inserted.get("site")) + "/" + inserted.get("device") + "/" + inserted.get("tag"))
                    .isEqualTo("A1/PUMP01/PRESS");
            assertThat(String.valueOf(inserted.get("__op"))).isEqualTo("c");
            GenericRecord updated = (GenericRecord) events.get(1).value();
            assertThat(updated.get("warning_high")).isEqualTo(8.5);
            assertThat(String.valueOf(updated.get("__op"))).isEqualTo("u");
            assertThat(events.get(2).value()).as("delete -> tombstone, so compaction forgets the rule").isNull();
        }
    }

    /** The replica in the telemetry database follows the operational tables: inserts, updates and deletes. */
    @Test
    void theReplicaFollowsTheOperationalTables() throws Exception {
        String rule = "it-replica-" + TestIds.next();
        String site = "R" + TestIds.next().substring(0, 6);
        try (Connection db = database.superuser(); Statement st = db.createStatement()) {
            st.execute("INSERT INTO ops.thresholds (rule_id, site, warning_low) VALUES ('" + rule + "', 'A1', 1.5)");
            awaitReplica("SELECT warning_low FROM ops_replica.thresholds WHERE rule_id = '" + rule + "'", "1.5");
            st.execute("UPDATE ops.thresholds SET warning_low = 2.5 WHERE rule_id = '" + rule + "'");
            awaitReplica("SELECT warning_low FROM ops_replica.thresholds WHERE rule_id = '" + rule + "'", "2.5");
            st.execute("DELETE FROM ops.thresholds WHERE rule_id = '" + rule + "'");
            awaitReplica("SELECT warning_low FROM ops_replica.thresholds WHERE rule_id = '" + rule + "'", null);

            // a tag row: its "offset" column is an SQL keyword, which the sink must quote
            st.execute("INSERT INTO ops.sites (site, name) VALUES ('" + site + "', 'replica test')");
            st.execute("INSERT INTO ops.devices (site, device) VALUES ('" + site + "', 'D1')");
            st.execute("INSERT INTO ops.tags (site, device, tag, protocol, conn, unit_id, address, type, scale, \"offset\", period_ms) "
                    + "VALUES ('" + site + "', 'D1', 'T1', 'modbus', 'tcp://127.0.0.1:502', 1, '40001', 'INT16', 0.1, -4.5, 1000)");
            awaitReplica("SELECT \"offset\" FROM ops_replica.tags WHERE site = '" + site + "' AND tag = 'T1'", "-4.5");
            awaitReplica("SELECT name FROM ops_replica.sites WHERE site = '" + site + "'", "replica test");
            st.execute("DELETE FROM ops.tags WHERE site = '" + site + "'");
            st.execute("DELETE FROM ops.sites WHERE site = '" + site + "'");
            awaitReplica("SELECT \"offset\" FROM ops_replica.tags WHERE site = '" + site + "' AND tag = 'T1'", null);
            awaitReplica("SELECT device FROM ops_replica.devices WHERE site = '" + site + "'", null);
        }
    }

    /** Waits until the query's first column, read as the viewer role, is the expected value (null: no row). */
    private static void awaitReplica(String query, String expected) throws Exception {
        try (Connection viewer = database.as("viewer")) {
            StackDatabase.awaitValue(viewer, query, expected, Duration.ofSeconds(60), () -> connect.status(replica).toString());
        }
    }
}
