package io.tagstream.connect.modbus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.addressmap.ModbusConnection;

/**
 * Polls PLC registers over Modbus TCP as the address map describes them and writes Reading records
 * (key site/device/tag) to telemetry.raw. Tags are grouped by device connection; {@code tasks.max}
 * spreads the connections over tasks, so one connection is only ever polled by one task.
 */
public class ModbusSourceConnector extends SourceConnector {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusSourceConnector.class);

    private Map<String, String> props;
    private List<ModbusConnection> connections;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        ModbusSourceConfig config = new ModbusSourceConfig(props);
        this.props = new HashMap<>(props);
        this.connections = new ArrayList<>(config.addressMap().byConnection().keySet());
        LOG.info("Modbus source {}: {} tags on {} connections", props.get("name"), config.addressMap().tags().size(),
                connections.size());
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ModbusSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int tasks = Math.min(maxTasks, connections.size());
        List<List<String>> assigned = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            assigned.add(new ArrayList<>());
        }
        // round-robin in map order: deterministic, so a rebalance hands each task the same devices
        for (int i = 0; i < connections.size(); i++) {
            assigned.get(i % tasks).add(connections.get(i).uri());
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(ModbusSourceConfig.TASK_CONNECTIONS, String.join(",", assigned.get(i)));
            task.put(ModbusSourceConfig.TASK_SOURCE, props.getOrDefault("name", "modbus-source"));
            task.put(ModbusSourceTask.TASK_ID, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // nothing held: the tasks own the connections
    }

    @Override
    public ConfigDef config() {
        return ModbusSourceConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        // cross-field rule the per-field validators cannot see
        try {
            Object initial = ModbusSourceConfig.CONFIG_DEF.parseType(ModbusSourceConfig.RECONNECT_BACKOFF_INITIAL_MS,
                    connectorConfigs.getOrDefault(ModbusSourceConfig.RECONNECT_BACKOFF_INITIAL_MS, "500"), ConfigDef.Type.LONG);
            Object max = ModbusSourceConfig.CONFIG_DEF.parseType(ModbusSourceConfig.RECONNECT_BACKOFF_MAX_MS,
                    connectorConfigs.getOrDefault(ModbusSourceConfig.RECONNECT_BACKOFF_MAX_MS, "30000"), ConfigDef.Type.LONG);
            if ((Long) max < (Long) initial) {
                for (ConfigValue value : result.configValues()) {
                    if (value.name().equals(ModbusSourceConfig.RECONNECT_BACKOFF_MAX_MS)) {
                        value.addErrorMessage("must be at least " + ModbusSourceConfig.RECONNECT_BACKOFF_INITIAL_MS + " (" + initial + ")");
                    }
                }
            }
        } catch (ConfigException unparsable) {
            // already reported by the field's own validation
        }
        return result;
    }
}
