package io.tagstream.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    @Test
    void telemetryTopicsAreCoPartitioned() {
        assertThat(TopicCatalog.TOPICS).filteredOn(t -> t.name().startsWith("telemetry."))
                .extracting(TopicCatalog.TopicSpec::partitions)
                .containsOnly(TopicCatalog.TELEMETRY_PARTITIONS);
    }

    @Test
    void operationalTopicsAreCompacted() {
        assertThat(TopicCatalog.TOPICS).filteredOn(t -> t.name().startsWith("ops."))
                .hasSize(4)
                .allSatisfy(t -> assertThat(t.configs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    @Test
    void everyTopicOfTheContractIsDeclared() {
        assertThat(TopicCatalog.TOPICS).extracting(TopicCatalog.TopicSpec::name).contains(
                "telemetry.raw", "telemetry.deadband", "telemetry.clean", "telemetry.agg.1m", "telemetry.agg.1h",
                "alerts.events", "telemetry.late");
    }

    @Test
    void aggregatesOutliveTheReadingsTheyCondense() {
        long raw = retention("telemetry.raw");
        assertThat(retention("telemetry.agg.1m")).isGreaterThan(raw);
        assertThat(retention("telemetry.agg.1h")).isGreaterThan(retention("telemetry.agg.1m"));
    }

    private static long retention(String topic) {
        return Long.parseLong(TopicCatalog.TOPICS.stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow()
                .configs().get(TopicConfig.RETENTION_MS_CONFIG));
    }
}
