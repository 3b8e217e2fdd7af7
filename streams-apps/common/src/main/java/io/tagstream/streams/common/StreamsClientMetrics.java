package io.tagstream.streams.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Reads what the health decision and {@code /metrics} need from a Kafka Streams client's own metrics: the
 * main consumers of its stream threads (not the restore or global consumers).
 */
final class StreamsClientMetrics {

    private static final Pattern MAIN_CONSUMER = Pattern.compile(".*-StreamThread-\\d+-consumer");

    private StreamsClientMetrics() {
    }

    /** One reading of the client: the health observation plus lag and poll age for people. */
    record Reading(AppHealth.Observation observation, double recordsLag, double lastPollSecondsAgo) {

        Map<String, Object> asMetrics() {
            AppHealth.Verdict verdict = AppHealth.decide(observation);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("running", verdict.running() ? "true" : "false");
            values.put("reason", verdict.reason());
            values.put("connection_count", (long) observation.connectionCount());
            values.put("last_heartbeat_seconds_ago", observation.lastHeartbeatSecondsAgo());
            values.put("assigned_partitions", (long) observation.assignedPartitions());
            values.put("records_lag", Double.isNaN(recordsLag) ? -1L : (long) recordsLag);
            values.put("last_poll_seconds_ago", lastPollSecondsAgo);
            return values;
        }
    }

    static Reading read(KafkaStreams streams) {
        double connections = 0;
        double heartbeatAgo = Double.NaN;
        double assigned = 0;
        double lag = Double.NaN;
        double pollAgo = Double.NaN;
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (!MAIN_CONSUMER.matcher(name.tags().getOrDefault("client-id", "")).matches()
                    || !(entry.getValue().metricValue() instanceof Number number)) {
                continue;
            }
            double value = number.doubleValue();
            switch (name.group() + "/" + name.name()) {
                case "consumer-metrics/connection-count" -> connections += value;
                case "consumer-metrics/last-poll-seconds-ago" -> pollAgo = maxKnown(pollAgo, value);
                case "consumer-coordinator-metrics/last-heartbeat-seconds-ago" -> heartbeatAgo = maxKnown(heartbeatAgo, value);
                case "consumer-coordinator-metrics/assigned-partitions" -> assigned += value;
                case "consumer-fetch-manager-metrics/records-lag" -> {
                    if (name.tags().containsKey("partition") && !Double.isNaN(value)) {
                        lag = (Double.isNaN(lag) ? 0 : lag) + value;
                    }
                }
                default -> {
                }
            }
        }
        return new Reading(new AppHealth.Observation(streams.state().name(), connections, heartbeatAgo, assigned), lag, pollAgo);
    }

    private static double maxKnown(double current, double value) {
        return value < 0 || Double.isNaN(value) ? current : Double.isNaN(current) ? value : Math.max(current, value);
    }
}
