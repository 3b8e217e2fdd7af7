package io.tagstream.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class ConnectorConfigsTest {

    private static final Map<String, String> VALUES = Map.of("kafka.bootstrap", "127.0.0.1:1234",
            "registry.api.url", "http://127.0.0.1:8081/apis/registry/v2");

    @Test
    void placeholdersAreReplaced() {
        String rendered = ConnectorConfigs.render(
                "{\"a\": \"{{kafka.bootstrap}}\", \"b\": \"{{registry.api.url}}/x\"}", VALUES, "c.json");
        assertThat(rendered).isEqualTo("{\"a\": \"127.0.0.1:1234\", \"b\": \"http://127.0.0.1:8081/apis/registry/v2/x\"}");
    }

    @Test
    void connectConfigProviderReferencesPassThrough() {
        String template = "{\"database.password\": \"${file:/secrets/db.properties:password}\", \"k\": \"${env:KEY}\"}";
        assertThat(ConnectorConfigs.render(template, VALUES, "c.json")).isEqualTo(template);
    }

    @Test
    void unknownPlaceholderNamesItselfAndTheFile() {
        assertThatThrownBy(() -> ConnectorConfigs.render("{\"a\": \"{{kafka.bootstarp}}\"}", VALUES, "connectors/config/x.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectors/config/x.json").hasMessageContaining("kafka.bootstarp");
    }

    /** Every shipped connector file must render with the placeholders a stack provides. */
    @Test
    void everyConnectorConfigOfTheRepositoryRenders() throws Exception {
        Path repo = io.tagstream.stack.testing.SharedStack.findRepo();
        Map<String, String> state = new HashMap<>();
        state.put(StackConfig.KAFKA_PORT, "1");
        state.put(StackConfig.REGISTRY_PORT, "2");
        state.put(StackConfig.CONNECT_PORT, "3");
        state.put(StackConfig.POSTGRES_PORT, "4");
        StackEndpoints endpoints = new StackEndpoints(Path.of("/stack"), state);
        try (Stream<Path> files = Files.walk(repo.resolve("connectors/config"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                var connector = ConnectorConfigs.read(file, endpoints, repo);
                assertThat(connector.path("config").path("connector.class").asText()).as(file.toString()).isNotBlank();
                assertThat(connector.toString()).as(file.toString()).doesNotContain("{{");
            }
        }
    }

    /** The Modbus demo polls the simulator through the port file, whatever port the simulator got. */
    @Test
    void theDemoAddressMapIsInlinedWithTheSimulatorsPortFile() throws Exception {
        Path repo = io.tagstream.stack.testing.SharedStack.findRepo();
        Map<String, String> state = new HashMap<>();
        state.put(StackConfig.KAFKA_PORT, "1");
        state.put(StackConfig.REGISTRY_PORT, "2");
        state.put(StackConfig.CONNECT_PORT, "3");
        state.put(StackConfig.POSTGRES_PORT, "4");
        var connector = ConnectorConfigs.read(repo.resolve("connectors/config/modbus-demo.json"),
                new StackEndpoints(Path.of("/stack"), state), repo);
        String map = connector.path("config").path("modbus.address.map").asText();
        assertThat(map.lines().findFirst()).hasValueSatisfying(header -> assertThat(header).startsWith("site,line,device,tag"));
        assertThat(map).doesNotContain(ConnectorConfigs.DEMO_MODBUS_CONNECTION)
                .contains("tcp://127.0.0.1:${file:/stack/modbus-simulator/modbus-simulator.properties:port},1,40001,");
        assertThat(map.lines().count()).isEqualTo(Files.readAllLines(repo.resolve(ConnectorConfigs.DEMO_ADDRESS_MAP)).size());
    }
}
