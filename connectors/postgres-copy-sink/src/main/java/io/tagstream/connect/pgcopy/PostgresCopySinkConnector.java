package io.tagstream.connect.pgcopy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Sink connector writing structured records into a PostgreSQL table with COPY and an upsert on the
 * natural key. Every task writes the same table; Connect spreads the topic's partitions over them.
 */
public final class PostgresCopySinkConnector extends SinkConnector {

    static final String VERSION = PostgresCopySinkConnector.class.getPackage().getImplementationVersion() == null
            ? "dev" : PostgresCopySinkConnector.class.getPackage().getImplementationVersion();

    private Map<String, String> properties;

    @Override
    public void start(Map<String, String> properties) {
        new CopySinkConfig(properties); // fail at start, with the option named, rather than in every task
        this.properties = Map.copyOf(properties);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PostgresCopySinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(properties);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CopySinkConfig.DEFINITION;
    }

    @Override
    public String version() {
        return VERSION;
    }
}
