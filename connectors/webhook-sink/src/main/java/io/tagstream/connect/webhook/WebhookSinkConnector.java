package io.tagstream.connect.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import io.tagstream.connect.config.CrossOptionChecks;

/**
 * Posts alert transitions (AlertEvent, usually from alerts.events) to a chat webhook as Slack-compatible
 * JSON, at most once per transition as far as the receiver can tell (see {@link WebhookSinkTask}).
 * Options: {@link WebhookSinkConfig}. Every task posts to the same webhook; Connect spreads the partitions.
 */
public final class WebhookSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        new WebhookSinkConfig(props); // fail at start, with the option named, rather than in every task
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return WebhookSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return WebhookSinkConfig.CONFIG_DEF;
    }

    /** Adds the cross-option checks to the per-option ones, on the option they concern. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return CrossOptionChecks.add(super.validate(connectorConfigs), () -> new WebhookSinkConfig(connectorConfigs), WebhookSinkConfig.WEBHOOK_URL);
    }
}
