package io.tagstream.aggregation;

import org.apache.kafka.streams.Topology;

import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;

/**
 * The aggregation app: telemetry.clean -> telemetry.agg.1m / telemetry.agg.1h, late readings -> telemetry.late.
 * Usage: {@code AggregationApp [config.properties]}; {@code --help} lists every option and its environment variable.
 */
public final class AggregationApp {

    private AggregationApp() {
    }

    public static void main(String[] args) {
        System.exit(AggregationRunner.run("tagstream-aggregation", args));
    }

    public static Topology topology(AggregationConfig config, AggregationMetrics metrics) {
        String registry = config.getString(StreamsAppConfig.REGISTRY_URL);
        return AggregationTopology.build(config.topics(), ReadingSerdes.reading(registry),
                AggregateSerdes.aggregate(registry), config.settings(), metrics);
    }
}
