package io.tagstream.connect.pgcopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

/**
 * With the database out of reach the task does not fail: it asks Connect to hand the records again after a
 * pause. (That it then writes them once the database is back is shown by scripts/e2e-exactly-once, which
 * kills PostgreSQL under load.)
 */
class DatabaseOutageTest {

    private static final Schema VALUE = SchemaBuilder.struct().field("site", Schema.STRING_SCHEMA).field("v", Schema.FLOAT64_SCHEMA).build();

    @Test
    void anUnreachableDatabaseIsRetriedNotFatal() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> config = new HashMap<>();
        config.put(CopySinkConfig.CONNECTION_URL, "jdbc:postgresql://127.0.0.1:" + closedPort + "/nowhere?connectTimeout=2");
        config.put(CopySinkConfig.CONNECTION_USER, "ingest");
        config.put(CopySinkConfig.CONNECTION_PASSWORD, "secret");
        config.put(CopySinkConfig.TABLE, "telemetry.readings");
        config.put(CopySinkConfig.KEY_COLUMNS, "site");
        config.put(CopySinkConfig.RETRY_BACKOFF_MS, "1234");
        RecordingContext context = new RecordingContext();
        PostgresCopySinkTask task = new PostgresCopySinkTask();
        task.initialize(context);
        task.start(config);
        try {
            SinkRecord record = new SinkRecord("telemetry.clean", 0, null, null, VALUE, new Struct(VALUE).put("site", "A1").put("v", 1.0), 42);
            assertThatThrownBy(() -> task.put(List.of(record)))
                    .isInstanceOf(RetriableException.class)
                    .hasMessageContaining("telemetry.readings");
            assertThat(context.timeout).isEqualTo(1234L);
            assertThat(task.preCommit(Map.of())).as("nothing written, nothing to commit").isEmpty();
        } finally {
            task.stop();
        }
    }

    private static final class RecordingContext implements SinkTaskContext {
        long timeout = -1;
        final Map<TopicPartition, Long> offsets = new HashMap<>();

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            this.offsets.putAll(offsets);
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            offsets.put(tp, offset);
        }

        @Override
        public void timeout(long timeoutMs) {
            timeout = timeoutMs;
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(new TopicPartition("telemetry.clean", 0));
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return null;
        }

        @Override
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
