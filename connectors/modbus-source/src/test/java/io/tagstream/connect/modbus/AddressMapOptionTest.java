package io.tagstream.connect.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** modbus.address.map takes CSV text: a file name, an empty value or a leftover reference is refused plainly. */
class AddressMapOptionTest {

    private static final String HEADER = "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo";
    private static final String ROW = "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:5020,1,40001,FLOAT32,0.1,0,1000,bar,10,0";

    private static List<String> errors(String addressMap) {
        List<ConfigValue> values = new ModbusSourceConnector().validate(Map.of("name", "m", ModbusSourceConfig.ADDRESS_MAP, addressMap))
                .configValues();
        assertThat(values).filteredOn(v -> !v.name().equals(ModbusSourceConfig.ADDRESS_MAP))
                .allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
        return values.stream().filter(v -> v.name().equals(ModbusSourceConfig.ADDRESS_MAP)).findFirst().orElseThrow().errorMessages();
    }

    @Test
    void aFileNameIsRefusedWithHowToUseAFile() {
        assertThat(errors("/etc/plant/map.csv")).containsExactly("Invalid value /etc/plant/map.csv for configuration "
                + "modbus.address.map: expects the address-map CSV text (the header line site,line,device,tag,... and one row "
                + "per tag), not a file name. To keep the map in a file, either inline it when you create the connector, e.g. "
                + "jq --rawfile map /etc/plant/map.csv '.config[\"modbus.address.map\"] = $map' connector.json, or reference a "
                + "properties file through the worker's file config provider: "
                + "modbus.address.map=${file:/etc/plant/map.properties:address.map} with the CSV as the value of address.map, "
                + "every line but the last ending in \\n\\ (Connect's FileConfigProvider reads key=value properties, not a CSV file)");
        assertThat(errors("map.csv")).singleElement().asString()
                .startsWith("Invalid value map.csv for configuration modbus.address.map: expects the address-map CSV text")
                .contains("jq --rawfile map map.csv ").contains("${file:map.properties:address.map}");
        assertThat(errors("  C:\\plant\\map.csv\n")).singleElement().asString().contains("not a file name");
    }

    @Test
    void anEmptyMapOrALeftOverReferenceIsNamed() {
        assertThat(errors("")).singleElement().asString().isEqualTo("modbus.address.map: 1 problem in the address map:\n"
                + "  line 1: the address map is empty: expected the header line " + HEADER + " and one row per tag");
        assertThat(errors("${file:/etc/plant/map.properties:address.map}")).singleElement().asString()
                .startsWith("Invalid value ${file:/etc/plant/map.properties:address.map} for configuration modbus.address.map: "
                        + "the worker did not resolve this reference");
        assertThat(errors(HEADER + "\n" + ROW + "\n")).isEmpty();
    }

    /** The advice in the message works: the properties file it describes resolves, through Connect's provider, to the map. */
    @Test
    void thePropertiesFileTheMessageDescribesResolvesToTheMap(@TempDir Path dir) throws Exception {
        String csv = HEADER + "\n" + ROW + "\n" + ROW.replace("PRESS", "TEMP").replace("40001", "40011");
        Path properties = dir.resolve("map.properties");
        String value = csv.lines().collect(Collectors.joining("\\n\\\n"));
        Files.writeString(properties, "address.map=" + value + "\n", StandardCharsets.UTF_8);

        FileConfigProvider file = new FileConfigProvider();
        file.configure(Map.of());
        Map<String, String> resolved = new ConfigTransformer(Map.<String, ConfigProvider>of("file", file))
                .transform(Map.of("name", "m", ModbusSourceConfig.ADDRESS_MAP, "${file:" + properties + ":address.map}")).data();
        file.close();
        assertThat(new ModbusSourceConfig(resolved).addressMap().tags()).hasSize(2);
    }
}
