package io.tagstream.aggregation;

import java.io.IOException;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;
import io.tagstream.streams.common.StreamsAppRunner.RunningApp;

/**
 * Runs the aggregation app through {@link StreamsAppRunner} (exactly_once_v2, dead-letter handlers,
 * graceful shutdown, exit codes 0 / 1 / 2), with its own counters on {@code /metrics} (late readings,
 * aggregates per window size) and one Streams default of its own.
 */
public final class AggregationRunner {

    private AggregationRunner() {
    }

    /** The whole life of the app process. {@code args}: an optional properties file, or {@code --help}. */
    static int run(String appName, String[] args) {
        return StreamsAppRunner.run(appName, args, AggregationConfig.DEFINITION, AggregationConfig::new,
                (StreamsAppRunner.Starter<AggregationConfig>) config -> {
                    AggregationMetrics metrics = new AggregationMetrics();
                    return start(appName, config, AggregationApp.topology(config, metrics), metrics);
                });
    }

    /**
     * The common Streams properties, plus {@code max.task.idle.ms=-1} unless {@code streams.max.task.idle.ms} is
     * given: every task reads one partition of one topic, so there is nothing to wait for to keep partitions in
     * step, and with the default Kafka Streams formats a trace message it never logs whenever a task's queue runs
     * empty (7% of the stream thread's time in the benchmark).
     */
    static Properties streamsProperties(AggregationConfig config, AggregationMetrics metrics) {
        Properties properties = StreamsAppRunner.streamsProperties(config, metrics.app());
        properties.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return properties;
    }

    /** Starts the app and its HTTP endpoint; {@link RunningApp#close} stops both gracefully. */
    public static RunningApp start(String appName, AggregationConfig config, Topology topology, AggregationMetrics metrics)
            throws IOException {
        return StreamsAppRunner.start(appName, config, topology, streamsProperties(config, metrics), metrics::snapshot,
                "input=" + config.getString(StreamsAppConfig.INPUT_TOPIC)
                        + " output.1m=" + config.getString(StreamsAppConfig.OUTPUT_TOPIC)
                        + " output.1h=" + config.getString(AggregationConfig.HOUR_OUTPUT_TOPIC)
                        + " late=" + config.getString(AggregationConfig.LATE_TOPIC)
                        + " window.clock=" + config.settings().clock().configValue()
                        + " grace=" + config.getLong(AggregationConfig.GRACE_MS) + "ms");
    }
}
