package io.tagstream.connect.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** connectors/config/modbus-demo.json with the demo address map, as the stack renders it, is a config the connector accepts. */
class DemoConfigTest {

    @Test
    void theDemoConfigValidates() throws Exception {
        JsonNode root = new ObjectMapper().readTree(Files.readString(Path.of("../config/modbus-demo.json")));
        Map<String, String> props = new HashMap<>();
        root.path("config").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        // the stack inlines the demo address map ({{demo.address.map}}); its connections name the simulator's default port
        assertThat(props.get(ModbusSourceConfig.ADDRESS_MAP)).isEqualTo("{{demo.address.map}}");
        props.put(ModbusSourceConfig.ADDRESS_MAP, Files.readString(Path.of("../config/address-map.csv")));
        props.put("name", root.path("name").asText());
        Config result = new ModbusSourceConnector().validate(props);
        result.configValues().forEach(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
        assertThat(new ModbusSourceConfig(props).addressMap().tags()).hasSize(11);
    }
}
