package io.tagstream.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagstream.stack.testing.SharedStack;

/** The launcher against the real shared stack: idempotent up, truthful status, clear port errors. */
class LocalStackIT {

    private static StackEndpoints endpoints;

    @BeforeAll
    static void stack() {
        endpoints = SharedStack.get();
    }

    private static Path repo() {
        return SharedStack.findRepo();
    }

    private static LocalStack sharedStack() {
        return LocalStack.create(StackConfig.from(Map.of(), Map.of(StackConfig.HOME, endpoints.home().toString(),
                StackConfig.PROFILE, StackConfig.PROFILE_INFRASTRUCTURE)), repo());
    }

    @Test
    void upOnARunningStackStartsNothingAndKeepsItsPorts() throws Exception {
        Map<String, String> pidsBefore = pids(endpoints.home());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StackEndpoints again = sharedStack().up(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(again.bootstrapServers()).isEqualTo(endpoints.bootstrapServers());
        assertThat(again.connectUrl()).isEqualTo(endpoints.connectUrl());
        assertThat(pids(endpoints.home())).isEqualTo(pidsBefore);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("kafka: already running", "connect: already running")
                .doesNotContain("started");
    }

    @Test
    void statusReportsEveryComponentAndThePlugins() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean healthy = sharedStack().status(new PrintStream(out, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(healthy).as(report).isTrue();
        assertThat(report).contains("UP   kafka", "UP   registry", "UP   postgres", "UP   connect",
                "wal_level=logical",
                "plugin source io.debezium.connector.postgresql.PostgresConnector",
                "plugin sink io.debezium.connector.jdbc.JdbcSinkConnector",
                "plugin converter io.apicurio.registry.utils.converter.AvroConverter");
    }

    @Test
    void aTakenPortIsNamedAndNothingStarts(@TempDir Path home) throws Exception {
        int kafkaPort = Integer.parseInt(endpoints.bootstrapServers().substring(endpoints.bootstrapServers().indexOf(':') + 1));
        Map<String, String> overrides = new HashMap<>();
        overrides.put(StackConfig.HOME, home.toString());
        overrides.put(StackConfig.PROFILE, StackConfig.PROFILE_INFRASTRUCTURE);
        for (Component component : StackComponents.ALL) {
            component.ports().forEach(p -> overrides.put(p, "0"));
        }
        overrides.put(StackConfig.KAFKA_PORT, Integer.toString(kafkaPort));
        LocalStack second = LocalStack.create(StackConfig.from(Map.of(), overrides), repo());

        assertThatThrownBy(() -> second.up(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("port " + kafkaPort)
                .hasMessageContaining("kafka.port")
                .hasMessageContaining("TAGSTREAM_KAFKA_PORT");
        assertThat(ProcessTable.processesMentioning(home)).isEmpty();
        assertThat(home.resolve("run")).doesNotExist();
    }

    @Test
    void topicsHaveTheirDeclaredPartitionsAndCleanup() throws Exception {
        try (Admin admin = KafkaBroker.admin(endpoints.bootstrapServers())) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    TopicCatalog.TOPICS.stream().map(TopicCatalog.TopicSpec::name).toList()).allTopicNames().get(10, TimeUnit.SECONDS);
            for (TopicCatalog.TopicSpec spec : TopicCatalog.TOPICS) {
                assertThat(topics.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
            }
            ConfigResource thresholds = new ConfigResource(ConfigResource.Type.TOPIC, "ops.thresholds");
            ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, "telemetry.raw");
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(thresholds, raw)).all().get(10, TimeUnit.SECONDS);
            assertThat(configs.get(thresholds).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(configs.get(raw).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
            assertThat(configs.get(raw).get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(Long.toString(7L * 24 * 3600 * 1000));
        }
    }

    private static Map<String, String> pids(Path home) throws Exception {
        Map<String, String> pids = new HashMap<>();
        for (String component : Set.of("kafka", "registry", "postgres", "connect")) {
            Path file = home.resolve("run").resolve(component + ".pid");
            pids.put(component, Files.readAllLines(file).get(0));
        }
        return pids;
    }
}
