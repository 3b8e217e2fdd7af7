package io.tagstream.connect.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;

import io.tagstream.connect.config.CrossOptionChecks;

/**
 * Polls an HTTP API into Readings (see {@link HttpSourceConfig} for the options and the kma-asos-hourly
 * preset). Streams (stations, plants) are spread over up to tasks.max tasks; each stream has its own offset.
 */
public final class HttpSourceConnector extends SourceConnector {

    /** The Maven project version, from the jar manifest; "dev" when run from classes. */
    static final String VERSION = java.util.Objects.requireNonNullElse(
            HttpSourceConnector.class.getPackage().getImplementationVersion(), "dev");

    private Map<String, String> props;
    private List<String> streams;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        HttpSourceConfig config = new HttpSourceConfig(props);
        this.props = Map.copyOf(props);
        this.streams = config.streams();
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HttpSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> group : ConnectorUtils.groupPartitions(streams, Math.min(maxTasks, streams.size()))) {
            configs.add(HttpSourceConfig.forStreams(props, group));
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return HttpSourceConfig.CONFIG_DEF;
    }

    /** Adds the cross-option checks to the per-option ones, on the option they concern. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return CrossOptionChecks.add(super.validate(connectorConfigs), () -> new HttpSourceConfig(connectorConfigs), HttpSourceConfig.PRESET);
    }

    /** Each poll's page and its offset are one transaction: exactly once when the worker enables it. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }
}
