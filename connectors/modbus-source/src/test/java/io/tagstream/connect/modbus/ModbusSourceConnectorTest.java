package io.tagstream.connect.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ModbusSourceConnectorTest {

    static final String HEADER = "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo\n";

    private static Map<String, String> config(String csv) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "modbus-test");
        props.put(ModbusSourceConfig.ADDRESS_MAP, csv);
        return props;
    }

    private static List<String> errors(Map<String, String> props, String name) {
        Config result = new ModbusSourceConnector().validate(props);
        for (ConfigValue value : result.configValues()) {
            if (value.name().equals(name)) {
                return value.errorMessages();
            }
        }
        throw new AssertionError("no config value " + name);
    }

    @Test
    void aValidMapValidatesClean() {
        String csv = HEADER + "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:5020,1,40001,FLOAT32,0.1,0,1000,bar,10,0\n";
        Config result = new ModbusSourceConnector().validate(config(csv));
        assertThat(result.configValues()).allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @Test
    void everyAddressMapProblemIsNamedWithItsLineAndValue() {
        String csv = HEADER
                + "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:5020,1,40001,FLOAT32,0.1,0,1000,bar,10,0\n"
                + "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:5020,1,40011,INT16,1,0,1000,bar,10,0\n"
                + "A1,L1,PUMP01,OVER,modbus,tcp://127.0.0.1:5020,1,40002,INT16,1,0,1000,bar,10,0\n"
                + "A1,L1,PUMP01,KIND,modbus,tcp://127.0.0.1:5020,1,40021,FLOAT128,1,0,1000,bar,10,0\n"
                + "A1,L1,PUMP01,FAST,modbus,tcp://127.0.0.1:5020,1,40031,INT16,1,0,100,bar,10,0\n"
                + "A1,L1,PUMP01,URL,modbus,udp:/nowhere,1,40041,INT16,1,0,1000,bar,10,0\n";
        List<String> messages = errors(config(csv), ModbusSourceConfig.ADDRESS_MAP);
        assertThat(messages).hasSize(1);
        String message = messages.get(0);
        assertThat(message)
                .contains("line 3").contains("A1/PUMP01/PRESS").containsIgnoringCase("duplicate")
                .contains("line 4")
                .contains("line 5").contains("FLOAT128")
                .contains("line 6").contains("'100'")
                .contains("line 7").contains("udp:/nowhere");
        // the CSV itself is not echoed back as the "invalid value"
        assertThat(message).doesNotContain("site,line,device");
        assertThatThrownBy(() -> new ModbusSourceConnector().start(config(csv)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line 7");
    }

    @Test
    void optionsAreRangeCheckedAndBackoffMustBeOrdered() {
        String csv = HEADER + "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:5020,1,40001,FLOAT32,0.1,0,1000,bar,10,0\n";
        Map<String, String> props = config(csv);
        props.put(ModbusSourceConfig.MAX_REGISTERS_PER_REQUEST, "126");
        assertThat(errors(props, ModbusSourceConfig.MAX_REGISTERS_PER_REQUEST)).singleElement().asString().contains("125");
        props.remove(ModbusSourceConfig.MAX_REGISTERS_PER_REQUEST);
        props.put(ModbusSourceConfig.RECONNECT_BACKOFF_INITIAL_MS, "5000");
        props.put(ModbusSourceConfig.RECONNECT_BACKOFF_MAX_MS, "1000");
        assertThat(errors(props, ModbusSourceConfig.RECONNECT_BACKOFF_MAX_MS)).singleElement().asString()
                .contains(ModbusSourceConfig.RECONNECT_BACKOFF_INITIAL_MS);
        props.put(ModbusSourceConfig.ADDRESS_MAP, "");
        assertThat(errors(props, ModbusSourceConfig.ADDRESS_MAP)).singleElement().asString().contains("empty");
    }

    @Test
    void tasksMaxSpreadsConnectionsAndNeverSplitsOne() {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int device = 0; device < 5; device++) {
            for (int tag = 0; tag < 3; tag++) {
                csv.append("A1,L1,DEV").append(device).append(",T").append(tag).append(",modbus,tcp://127.0.0.1:")
                        .append(5020 + device).append(",1,").append(40001 + tag).append(",INT16,1,0,1000,,,\n");
            }
        }
        ModbusSourceConnector connector = new ModbusSourceConnector();
        connector.start(config(csv.toString()));
        List<Map<String, String>> two = connector.taskConfigs(2);
        assertThat(two).extracting(c -> c.get(ModbusSourceConfig.TASK_CONNECTIONS)).containsExactly(
                "tcp://127.0.0.1:5020,tcp://127.0.0.1:5022,tcp://127.0.0.1:5024",
                "tcp://127.0.0.1:5021,tcp://127.0.0.1:5023");
        assertThat(two).allSatisfy(c -> assertThat(c.get(ModbusSourceConfig.TASK_SOURCE)).isEqualTo("modbus-test"));
        // never more tasks than connections
        assertThat(connector.taskConfigs(8)).hasSize(5);
    }
}
