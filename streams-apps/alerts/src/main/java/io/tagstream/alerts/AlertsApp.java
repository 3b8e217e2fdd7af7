package io.tagstream.alerts;

import org.apache.kafka.streams.Topology;

import io.tagstream.streams.common.AddressMapFile;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

/**
 * The alerts app: telemetry.clean + ops.thresholds -> alerts.events. Usage: {@code AlertsApp [config.properties]};
 * {@code --help} lists every option and its environment variable.
 */
public final class AlertsApp {

    private AlertsApp() {
    }

    public static void main(String[] args) {
        System.exit(StreamsAppRunner.run("tagstream-alerts", args, AlertsConfig.DEFINITION, AlertsConfig::new,
                AlertsApp::topology));
    }

    /** The app's topology with the registry serdes and the address map of {@code config}. */
    public static Topology topology(AlertsConfig config, AppMetrics metrics) {
        String registry = config.getString(StreamsAppConfig.REGISTRY_URL);
        return AlertsTopology.build(
                config.getString(StreamsAppConfig.INPUT_TOPIC),
                config.getString(StreamsAppConfig.OUTPUT_TOPIC),
                config.getString(AlertsConfig.THRESHOLDS_TOPIC),
                ReadingSerdes.reading(registry),
                AlertSerdes.alertEvent(registry),
                AlertSerdes.generic(registry, true),
                AlertSerdes.generic(registry, false),
                config.tagDefaults(AddressMapFile.load(config.getString(StreamsAppConfig.ADDRESS_MAP_PATH))),
                config.getLong(AlertsConfig.STALE_CHECK_INTERVAL_MS),
                metrics);
    }
}
