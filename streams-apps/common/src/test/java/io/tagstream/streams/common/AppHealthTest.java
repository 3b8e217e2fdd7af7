package io.tagstream.streams.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppHealthTest {

    private static AppHealth.Verdict decide(String state, double connections, double heartbeatAgo, double assigned) {
        return AppHealth.decide(new AppHealth.Observation(state, connections, heartbeatAgo, assigned));
    }

    @Test
    void runningOnlyWhenStreamsRunsConnectedWithRecentHeartbeatAndPartitions() {
        assertThat(decide("RUNNING", 2, 1.5, 6)).isEqualTo(new AppHealth.Verdict(true, "RUNNING"));
        // no heartbeat sent yet right after the first assignment: the connection decides
        assertThat(decide("RUNNING", 2, Double.NaN, 6).running()).isTrue();
        assertThat(decide("RUNNING", 2, -1, 6).running()).isTrue();
    }

    @Test
    void streamsStateOtherThanRunningIsNotRunning() {
        assertThat(decide("REBALANCING", 2, 1, 6)).isEqualTo(new AppHealth.Verdict(false, "Kafka Streams is REBALANCING"));
        assertThat(decide("ERROR", 2, 1, 6).running()).isFalse();
    }

    @Test
    void brokerGoneIsNotRunningAlthoughStreamsStillSaysRunning() {
        assertThat(decide("RUNNING", 0, 1, 6).reason()).contains("no connection to the broker");
        assertThat(decide("RUNNING", Double.NaN, 1, 6).running()).isFalse();
        // connections come and go while reconnecting; the missing heartbeats still tell
        AppHealth.Verdict stale = decide("RUNNING", 1, AppHealth.MAX_HEARTBEAT_AGE_S + 0.5, 6);
        assertThat(stale.running()).isFalse();
        assertThat(stale.reason()).contains("no heartbeat to the group coordinator for 8 s");
        assertThat(decide("RUNNING", 1, AppHealth.MAX_HEARTBEAT_AGE_S, 6).running()).isTrue();
    }

    @Test
    void noAssignedPartitionsIsNotRunning() {
        assertThat(decide("RUNNING", 2, 1, 0).reason()).contains("assigned no partitions");
    }
}
