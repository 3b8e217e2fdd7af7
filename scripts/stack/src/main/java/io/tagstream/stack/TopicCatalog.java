package io.tagstream.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics of ARCHITECTURE.md section 3, declared once with deliberate partitions, retention and
 * cleanup. Telemetry topics share one partition count and the key {@code site/device/tag}, so every
 * stage of a tag lands on the same partition number and the Streams apps stay co-partitioned.
 */
public final class TopicCatalog {

    /** Partitions of every telemetry topic: room for a few Streams threads per app on a site box. */
    public static final int TELEMETRY_PARTITIONS = 6;

    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    public record TopicSpec(String name, int partitions, Map<String, String> configs, String purpose) {
        NewTopic newTopic() {
            return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
        }
    }

    public static final List<TopicSpec> TOPICS = List.of(
            telemetry("telemetry.raw", 7, "Readings as the source connectors produced them"),
            telemetry("telemetry.deadband", 7, "Readings after deadband (report by exception + heartbeat)"),
            telemetry("telemetry.clean", 30, "Readings after gap filling; imputed points flagged"),
            telemetry("telemetry.agg.1m", 90, "Final 1-minute Aggregates, one per tag and window"),
            telemetry("telemetry.agg.1h", 400, "Final 1-hour Aggregates rolled up from the 1-minute ones"),
            telemetry("telemetry.late", 14, "Records later than a window's grace; reason in headers"),
            new TopicSpec("dlq.deadband", 1, deleteAfterDays(14), "Records the deadband app could not read, process or write; reason in headers"),
            new TopicSpec("dlq.imputation", 1, deleteAfterDays(14), "Records the imputation app could not read, process or write; reason in headers"),
            new TopicSpec("dlq.aggregation", 1, deleteAfterDays(14), "Records the aggregation app could not read, process or write; reason in headers"),
            new TopicSpec("dlq.alerts", 1, deleteAfterDays(14), "Records the alerts app could not read, process or write; reason in headers"),
            new TopicSpec("alerts.events", 3, deleteAfterDays(400), "AlertEvent state transitions, keyed by alert id"),
            new TopicSpec("dlq.http-source", 1, deleteAfterDays(14), "API responses and rows the HTTP source could not ingest (original bytes); reason in headers"),
            new TopicSpec("dlq.sink", 1, deleteAfterDays(14), "Records the JDBC sinks could not write; Connect's error headers say why"),
            compacted("ops.sites", "CDC of ops.sites (flattened), keyed by primary key"),
            compacted("ops.devices", "CDC of ops.devices (flattened)"),
            compacted("ops.tags", "CDC of ops.tags: the address map"),
            compacted("ops.thresholds", "CDC of ops.thresholds: alert rules"));

    private TopicCatalog() {
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    static List<String> ensure(Admin admin) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Set<String> existing = admin.listTopics().names().get(35, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec spec : TOPICS) {
            if (!existing.contains(spec.name())) {
                missing.add(spec.newTopic());
            }
        }
        List<String> created = new ArrayList<>();
        if (missing.isEmpty()) {
            return created;
        }
        var results = admin.createTopics(missing).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(35, TimeUnit.SECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    private static TopicSpec telemetry(String name, int retentionDays, String purpose) {
        return new TopicSpec(name, TELEMETRY_PARTITIONS, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionDays * DAY_MS),
                // readings compress well (repeated identity fields); the broker keeps what producers send
                TopicConfig.COMPRESSION_TYPE_CONFIG, "producer",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"), purpose);
    }

    private static Map<String, String> deleteAfterDays(int days) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(days * DAY_MS));
    }

    private static TopicSpec compacted(String name, String purpose) {
        return new TopicSpec(name, 1, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                // tombstones of deleted rows stay a day so consumers that restart still see the delete
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(DAY_MS),
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"), purpose);
    }
}
