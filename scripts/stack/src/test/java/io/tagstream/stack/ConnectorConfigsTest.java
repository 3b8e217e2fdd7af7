package io.tagstream.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

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
}
