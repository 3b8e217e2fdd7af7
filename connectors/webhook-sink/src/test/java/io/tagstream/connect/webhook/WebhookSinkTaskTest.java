package io.tagstream.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

import io.tagstream.connect.webhook.core.DeliveredLog;
import io.tagstream.connect.webhook.core.HttpOutcome;

/**
 * The task's bookkeeping with a scripted webhook, an in-memory delivered-id log and a fake Connect context:
 * retries through Connect's redelivery, order, committed offsets, dead letters, and no repeat after a
 * restart that lost the offset commit.
 */
class WebhookSinkTaskTest {

    static final Schema ALERT = SchemaBuilder.struct().name("io.tagstream.schema.AlertEvent")
            .field("alert_id", Schema.STRING_SCHEMA).field("site", Schema.STRING_SCHEMA)
            .field("line", Schema.OPTIONAL_STRING_SCHEMA).field("device", Schema.STRING_SCHEMA)
            .field("tag", Schema.STRING_SCHEMA).field("rule_id", Schema.STRING_SCHEMA)
            .field("kind", Schema.STRING_SCHEMA).field("severity", Schema.STRING_SCHEMA).field("state", Schema.STRING_SCHEMA)
            .field("value", Schema.OPTIONAL_FLOAT64_SCHEMA).field("threshold", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("ts", Timestamp.SCHEMA).field("raised_at", Timestamp.SCHEMA).field("message", Schema.STRING_SCHEMA)
            .build();
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    static final TopicPartition P0 = new TopicPartition("alerts.events", 0);

    final MemoryLog log = new MemoryLog();
    final Webhook webhook = new Webhook();
    final FakeContext context = new FakeContext();
    long now = T0.toEpochMilli();
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }
    };

    static Map<String, String> props(String... extra) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "unit-webhook");
        props.put("webhook.url", "http://127.0.0.1:9/hook");
        props.put("delivered.bootstrap.servers", "127.0.0.1:9");
        props.put("retry.backoff.ms", "1000");
        props.put("retry.backoff.max.ms", "4000");
        props.put("max.retries", "3");
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    WebhookSinkTask task(Map<String, String> props) {
        WebhookSinkTask task = new WebhookSinkTask();
        task.initialize(context);
        task.start(new WebhookSinkConfig(props), webhook, log, clock);
        task.open(List.of(P0));
        return task;
    }

    static SinkRecord alert(long offset, String alertId, String state, String severity) {
        Struct value = new Struct(ALERT).put("alert_id", alertId).put("site", "A1").put("device", "PUMP01").put("tag", "PRESS")
                .put("rule_id", "default-hi").put("kind", "HIGH").put("severity", severity).put("state", state)
                .put("value", 12.5).put("threshold", 10.0)
                .put("ts", java.util.Date.from(T0.plusSeconds(offset))).put("raised_at", java.util.Date.from(T0))
                .put("message", "PRESS above 10 bar");
        return new SinkRecord(P0.topic(), P0.partition(), Schema.STRING_SCHEMA, alertId, ALERT, value, offset);
    }

    @Test
    void retriesThroughConnectKeepingOrderAndCommitsOnlyWhatIsDone() {
        WebhookSinkTask task = task(props());
        List<SinkRecord> batch = List.of(alert(0, "a", "RAISED", "WARNING"), alert(1, "a", "ESCALATED", "CRITICAL"),
                alert(2, "b", "RAISED", "WARNING"));
        webhook.script(200, 429, 200, 200);
        webhook.retryAfter = "2";

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class).hasMessageContaining("HTTP 429");
        assertThat(context.timeout).isEqualTo(2000);
        assertThat(committed(task)).containsEntry(P0, new OffsetAndMetadata(1));
        // never beyond what Connect counts as consumed (it would ignore the offset altogether)
        assertThat(task.preCommit(Map.of(P0, new OffsetAndMetadata(0)))).containsEntry(P0, new OffsetAndMetadata(0));

        // Connect comes back early (an offset commit was due): no POST, asked to wait the rest
        now += 1000;
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class).hasMessageContaining("backing off");
        assertThat(context.timeout).isEqualTo(1000);
        assertThat(webhook.posted).hasSize(2);

        now += 1000;
        task.put(batch);
        assertThat(webhook.delivered()).containsExactly("a/RAISED/" + T0.toEpochMilli(),
                "a/ESCALATED/" + T0.plusSeconds(1).toEpochMilli(), "b/RAISED/" + T0.plusSeconds(2).toEpochMilli());
        assertThat(committed(task)).containsEntry(P0, new OffsetAndMetadata(3));
        assertThat(log.ids()).containsExactlyElementsOf(webhook.delivered());
        assertThat(log.records.get(1)).contains("\"offset\":1", "\"status\":200");
    }

    @Test
    void noRepeatAfterARestartThatLostTheOffsetCommit() {
        WebhookSinkTask first = task(props());
        webhook.script(200, 200);
        first.put(List.of(alert(0, "a", "RAISED", "WARNING"), alert(1, "a", "CLEARED", "WARNING")));
        // the task dies here: no preCommit, so the worker redelivers from offset 0
        WebhookSinkTask second = task(props());
        webhook.script(200);
        second.put(List.of(alert(0, "a", "RAISED", "WARNING"), alert(1, "a", "CLEARED", "WARNING"), alert(2, "c", "RAISED", "CRITICAL")));
        assertThat(webhook.delivered()).hasSize(3).doesNotHaveDuplicates();
        assertThat(committed(second)).containsEntry(P0, new OffsetAndMetadata(3));
    }

    @Test
    void permanentRefusalGoesToTheDeadLetterTopicAndTheTaskCarriesOn() {
        WebhookSinkTask task = task(props());
        webhook.script(400, 200);
        task.put(List.of(alert(0, "bad", "RAISED", "WARNING"), alert(1, "good", "RAISED", "WARNING")));
        assertThat(context.reported).hasSize(1);
        assertThat(context.reported.get(0).getValue().getMessage()).isEqualTo("webhook refused the alert: HTTP 400 invalid_payload");
        assertThat(context.reported.get(0).getKey().kafkaOffset()).isZero();
        assertThat(webhook.delivered()).containsExactly("good/RAISED/" + T0.plusSeconds(1).toEpochMilli());
        assertThat(committed(task)).containsEntry(P0, new OffsetAndMetadata(2));
    }

    @Test
    void exhaustedRetriesFailTheTaskWithoutCommittingOrGoToTheDlqWhenAsked() {
        WebhookSinkTask failing = task(props("max.retries", "1"));
        webhook.script(500, 500);
        List<SinkRecord> batch = List.of(alert(0, "a", "RAISED", "WARNING"));
        assertThatThrownBy(() -> failing.put(batch)).isInstanceOf(RetriableException.class);
        now += 1000;
        assertThatThrownBy(() -> failing.put(batch)).isExactlyInstanceOf(ConnectException.class)
                .hasMessageContaining("after 1 retries: HTTP 500");
        assertThat(committed(failing)).doesNotContainKey(P0);

        WebhookSinkTask dlq = task(props("max.retries", "0", "retries.exhausted.action", "dlq"));
        webhook.script(503, 200);
        dlq.put(List.of(alert(0, "a", "RAISED", "WARNING"), alert(1, "b", "RAISED", "WARNING")));
        assertThat(context.reported).hasSize(1);
        assertThat(committed(dlq)).containsEntry(P0, new OffsetAndMetadata(2));
    }

    @Test
    void filteredTombstonesAndMalformedRecordsAreFinishedWithoutPosting() {
        WebhookSinkTask task = task(props("filter.min.severity", "critical"));
        SinkRecord tombstone = new SinkRecord(P0.topic(), 0, Schema.STRING_SCHEMA, "x", null, null, 1);
        SinkRecord notAnAlert = new SinkRecord(P0.topic(), 0, Schema.STRING_SCHEMA, "y", Schema.STRING_SCHEMA, "hello", 2);
        webhook.script(200);
        task.put(List.of(alert(0, "w", "RAISED", "WARNING"), tombstone, notAnAlert, alert(3, "c", "RAISED", "CRITICAL")));
        assertThat(webhook.delivered()).containsExactly("c/RAISED/" + T0.plusSeconds(3).toEpochMilli());
        assertThat(context.reported).hasSize(1);
        assertThat(context.reported.get(0).getValue().getMessage()).contains("not a usable AlertEvent");
        assertThat(committed(task)).containsEntry(P0, new OffsetAndMetadata(4));
    }

    @Test
    void withoutADeadLetterTopicAPermanentRefusalStopsTheTask() {
        context.reporter = false;
        WebhookSinkTask task = task(props());
        webhook.script(404);
        assertThatThrownBy(() -> task.put(List.of(alert(0, "a", "RAISED", "WARNING"))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("errors.tolerance=all");
        assertThat(committed(task)).doesNotContainKey(P0);
    }

    @Test
    void aFailedLogWriteIsRepeatedBeforeTheNextRecord() {
        WebhookSinkTask task = task(props());
        webhook.script(200, 200);
        log.failNext = 1;
        task.put(List.of(alert(0, "a", "RAISED", "WARNING")));
        assertThat(log.ids()).isEmpty();
        task.put(List.of(alert(1, "b", "RAISED", "WARNING")));
        assertThat(log.ids()).containsExactly("a/RAISED/" + T0.toEpochMilli(), "b/RAISED/" + T0.plusSeconds(1).toEpochMilli());
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(WebhookSinkTask task) {
        return task.preCommit(Map.of(P0, new OffsetAndMetadata(99)));
    }

    /** A webhook answering from a script, recording what it was sent. */
    static final class Webhook implements WebhookSinkTask.Poster {
        final Deque<Integer> answers = new ArrayDeque<>();
        final List<String[]> posted = new ArrayList<>();
        String retryAfter;

        void script(Integer... statuses) {
            answers.addAll(List.of(statuses));
        }

        @Override
        public HttpOutcome post(String json, String eventId) {
            int status = answers.isEmpty() ? 200 : answers.poll();
            posted.add(new String[] {eventId, Integer.toString(status), json});
            return HttpOutcome.response(status, status == 429 ? retryAfter : null, status == 400 ? "invalid_payload" : "");
        }

        List<String> delivered() {
            return posted.stream().filter(p -> p[1].startsWith("2")).map(p -> p[0]).toList();
        }
    }

    static final class MemoryLog implements DeliveredLog {
        final Map<String, String> entries = new LinkedHashMap<>();
        final List<String> records = new ArrayList<>();
        int failNext;

        @Override
        public void catchUp(Consumer<String> sink) {
            entries.keySet().forEach(sink);
        }

        @Override
        public void append(String eventId, String record) {
            if (failNext > 0) {
                failNext--;
                throw new RetriableException("broker away");
            }
            entries.put(eventId, record);
            records.add(record);
        }

        List<String> ids() {
            return List.copyOf(entries.keySet());
        }

        @Override
        public void close() {
        }
    }

    static final class FakeContext implements SinkTaskContext {
        long timeout = -1;
        boolean reporter = true;
        final List<Map.Entry<SinkRecord, Throwable>> reported = new ArrayList<>();

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
            this.timeout = timeoutMs;
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(P0);
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
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            return null;
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            if (!reporter) {
                return null;
            }
            return (record, error) -> {
                reported.add(Map.entry(record, error));
                return CompletableFuture.completedFuture(null);
            };
        }
    }
}
