package io.tagstream.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The KafkaConnector resources are exactly connectors/config rendered for Kubernetes. */
class ConnectorManifestsTest {

    @Test
    void kafkaConnectorResourcesMatchConnectorsConfig() throws IOException {
        Path repo = Repo.root();
        List<List<ObjectNode>> expected = ConnectorManifests.expected(repo);
        if (Boolean.getBoolean("tagstream.k8s.write")) {
            Files.writeString(repo.resolve(ConnectorManifests.BASE_FILE), ConnectorManifests.yaml(expected.get(0),
                    ConnectorManifests.HEADER + "# Platform connectors: CDC of the operational tables, their replica, the database sinks ("
                            + ConnectorManifests.SINK_IMPLEMENTATION + ").\n"));
            Files.writeString(repo.resolve(ConnectorManifests.DEMO_FILE), ConnectorManifests.yaml(expected.get(1),
                    ConnectorManifests.HEADER + "# Demo sources: the Modbus and weather API simulators of this overlay.\n"));
        }
        assertSame(repo.resolve(ConnectorManifests.BASE_FILE), expected.get(0));
        assertSame(repo.resolve(ConnectorManifests.DEMO_FILE), expected.get(1));
    }

    @Test
    void everyConnectorOfConnectorsConfigIsDeployed() {
        Path repo = Repo.root();
        List<List<ObjectNode>> expected = ConnectorManifests.expected(repo);
        assertThat(expected.get(0)).extracting(r -> r.path("metadata").path("name").asText())
                .contains("cdc-ops", "sink-ops-replica", "sink-telemetry-readings", "sink-telemetry-agg-1m",
                        "sink-telemetry-agg-1h", "sink-alert-events");
        assertThat(expected.get(1)).extracting(r -> r.path("metadata").path("name").asText())
                .containsExactlyInAnyOrderElementsOf(ConnectorManifests.DEMO);
        for (List<ObjectNode> group : expected) {
            for (ObjectNode resource : group) {
                String text = resource.toString();
                assertThat(text).as("no placeholder left in %s", resource.path("metadata").path("name"))
                        .doesNotContain("{{");
                assertThat(text).as("no local-stack address in %s", resource.path("metadata").path("name"))
                        .doesNotContain("127.0.0.1");
            }
        }
    }

    private static void assertSame(Path file, List<ObjectNode> expected) {
        assertThat(file).as("%s is generated; run with -Dtagstream.k8s.write=true", file).exists();
        List<JsonNode> actual = Repo.yamlDocuments(Repo.read(file));
        assertThat(actual).as("%s is out of date with connectors/config (regenerate: -Dtagstream.k8s.write=true)", file)
                .containsExactlyElementsOf(expected.stream().map(JsonNode.class::cast).toList());
    }
}
