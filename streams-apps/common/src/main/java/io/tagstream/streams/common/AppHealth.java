package io.tagstream.streams.common;

/**
 * Whether an app is really running. Kafka Streams' own state is not enough: it stays RUNNING for the whole
 * session timeout after the broker is gone, so the decision also looks at what the stream threads' consumers
 * say about the broker (connections, heartbeats to the group coordinator, assigned partitions).
 */
public final class AppHealth {

    /**
     * Heartbeats go every 3 s (the consumer default Kafka Streams keeps); with two missed and a margin the
     * coordinator is gone. Keeps "not running within 10 s of losing the broker" with room for the probe.
     */
    public static final double MAX_HEARTBEAT_AGE_S = 7.0;

    private AppHealth() {
    }

    /**
     * What the app's clients report. {@code lastHeartbeatSecondsAgo} is negative or NaN before the first
     * heartbeat; the counts are sums over the stream threads' main consumers.
     */
    public record Observation(String streamsState, double connectionCount, double lastHeartbeatSecondsAgo,
                              double assignedPartitions) {
    }

    /** Running or not, and why not in words an operator can act on. */
    public record Verdict(boolean running, String reason) {
    }

    public static Verdict decide(Observation observation) {
        if (!"RUNNING".equals(observation.streamsState())) {
            return new Verdict(false, "Kafka Streams is " + observation.streamsState());
        }
        if (!(observation.connectionCount() > 0)) {
            return new Verdict(false, "no connection to the broker (consumer connection-count 0)");
        }
        double heartbeat = observation.lastHeartbeatSecondsAgo();
        if (heartbeat > MAX_HEARTBEAT_AGE_S) {
            return new Verdict(false, String.format(java.util.Locale.ROOT,
                    "no heartbeat to the group coordinator for %.0f s (broker gone?)", heartbeat));
        }
        if (!(observation.assignedPartitions() > 0)) {
            return new Verdict(false, "the consumer group has assigned no partitions to this instance");
        }
        return new Verdict(true, "RUNNING");
    }
}
