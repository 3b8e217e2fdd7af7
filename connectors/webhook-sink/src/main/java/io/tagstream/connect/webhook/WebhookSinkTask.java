package io.tagstream.connect.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.connect.webhook.core.AlertNotice;
import io.tagstream.connect.webhook.core.DeliveredLog;
import io.tagstream.connect.webhook.core.DeliveryLedger;
import io.tagstream.connect.webhook.core.HttpOutcome;
import io.tagstream.connect.webhook.core.NoticeFilter;
import io.tagstream.connect.webhook.core.PartitionProgress;
import io.tagstream.connect.webhook.core.RetryPolicy;
import io.tagstream.connect.webhook.core.SlackMessageFormatter;

/**
 * Posts each alert record, strictly in order, one at a time. No duplicates across restarts comes from
 * three things together:
 * <ol>
 *   <li>offsets are committed only up to the last record this task has finished with ({@link #preCommit});
 *       a record that is being retried holds back its partition, so nothing after it is committed either;</li>
 *   <li>after each successful POST the event id (alert_id/state/ts) is written to a compacted topic before
 *       the next record is looked at; a task that starts, or is given partitions, reads that topic first and
 *       skips every event already delivered, which covers records delivered but not yet committed;</li>
 *   <li>every attempt carries the same Idempotency-Key and X-Tagstream-Event-Id, so a receiver that honours
 *       them can drop the one repeat still possible (the POST succeeded, the task died before recording it).</li>
 * </ol>
 *
 * <p>Retryable failures are not waited out in {@code put}: the task asks Connect to hand the same batch
 * back after the backoff ({@link RetriableException} with {@code context.timeout}). The task thread stays
 * free, the consumer keeps polling (no rebalance from a long Retry-After), a stop or restart never waits
 * for a backoff, and order is kept because the whole batch comes back; records of it already finished are
 * recognised by offset and skipped.
 */
public class WebhookSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSinkTask.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Waits shorter than this are slept in put: cheaper than a round through Connect. */
    private static final long INLINE_WAIT_MS = 500;
    private static final int LEDGER_CAPACITY = 200_000;

    /** Posts one payload; the seam the unit tests replace. */
    interface Poster {
        HttpOutcome post(String json, String eventId) throws InterruptedException;
    }

    private record PendingRetry(String eventId, int retries, long notBefore) {
    }

    private WebhookSinkConfig config;
    private SlackMessageFormatter formatter;
    private NoticeFilter filter;
    private RetryPolicy policy;
    private Poster poster;
    private DeliveredLog deliveredLog;
    private ErrantRecordReporter reporter;
    private Clock clock = Clock.systemUTC();

    private final DeliveryLedger ledger = new DeliveryLedger(LEDGER_CAPACITY);
    private final PartitionProgress<TopicPartition> progress = new PartitionProgress<>();
    /** Delivered ids whose write to the delivered-id log failed; written again before anything else. */
    private final Deque<String[]> unrecorded = new ArrayDeque<>();
    private PendingRetry pending;
    private long delivered;
    private long duplicatesSkipped;
    private long deadLettered;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        WebhookSinkConfig parsed = new WebhookSinkConfig(props);
        WebhookClient client = new WebhookClient(parsed.webhookUrl(), parsed.timeout());
        String clientId = "webhook-sink-" + parsed.connectorName().replaceAll("[^a-zA-Z0-9._-]", "_");
        DeliveredLog log = new KafkaDeliveredLog(parsed.deliveredTopic(), parsed.deliveredClientConfig(),
                parsed.getShort(WebhookSinkConfig.DELIVERED_REPLICATION_FACTOR),
                parsed.getLong(WebhookSinkConfig.DELIVERED_RETENTION_MS), clientId);
        start(parsed, client::post, log, Clock.systemUTC());
    }

    /** Start with the collaborators given: the real ones from {@link #start(Map)}, fakes in unit tests. */
    void start(WebhookSinkConfig config, Poster poster, DeliveredLog deliveredLog, Clock clock) {
        this.config = config;
        this.formatter = config.formatter();
        this.filter = config.filter();
        this.policy = config.retryPolicy();
        this.poster = poster;
        this.deliveredLog = deliveredLog;
        this.clock = clock;
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            reporter = null; // a worker older than Kafka 2.6
        }
        deliveredLog.catchUp(ledger::markDelivered);
        LOG.info("webhook sink started: webhook.url [hidden], delivered-id topic {} ({} ids known), min severity {}, "
                        + "states {}, max retries {}, dead-letter reporter {}", config.deliveredTopic(), ledger.size(),
                filter.minSeverity(), config.getList(WebhookSinkConfig.STATES), config.getInt(WebhookSinkConfig.MAX_RETRIES),
                reporter == null ? "none" : "present");
    }

    /** Newly assigned partitions may have been another task's a moment ago: learn what it delivered first. */
    @Override
    public void open(Collection<TopicPartition> partitions) {
        partitions.forEach(progress::forget);
        deliveredLog.catchUp(ledger::markDelivered);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        recordPendingDeliveries();
        for (SinkRecord record : records) {
            TopicPartition partition = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            if (progress.isHandled(partition, record.originalKafkaOffset())) {
                continue; // a batch handed in again after a retry: this one is done
            }
            handle(record);
            progress.handled(partition, record.originalKafkaOffset());
        }
    }

    private void handle(SinkRecord record) {
        if (record.value() == null) {
            return; // a tombstone: nothing to tell anyone
        }
        AlertNotice notice;
        try {
            notice = AlertRecords.toNotice(record.value());
        } catch (IllegalArgumentException e) {
            deadLetter(record, "not a usable AlertEvent: " + e.getMessage());
            return;
        }
        if (!filter.accepts(notice)) {
            return;
        }
        String eventId = notice.eventId();
        if (ledger.isDelivered(eventId)) {
            duplicatesSkipped++;
            LOG.debug("event {} was delivered before; not posted again", eventId);
            return;
        }
        int retries = 0;
        if (pending != null && pending.eventId().equals(eventId)) {
            waitForRetry(pending.notBefore());
            retries = pending.retries();
        }
        HttpOutcome outcome;
        try {
            outcome = poster.post(formatter.toJson(notice), eventId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while posting event " + eventId, e);
        }
        RetryPolicy.Decision decision = policy.decide(outcome, retries);
        if (decision instanceof RetryPolicy.Delivered) {
            pending = null;
            ledger.markDelivered(eventId);
            record(eventId, notice, record, outcome.status());
            delivered++;
            if (retries > 0) {
                LOG.info("event {} delivered after {} retries", eventId, retries);
            }
        } else if (decision instanceof RetryPolicy.Retry retry) {
            pending = new PendingRetry(eventId, retries + 1, clock.millis() + retry.delay().toMillis());
            String message = "event " + eventId + " not delivered (" + retry.reason() + "); retry " + (retries + 1)
                    + " in " + retry.delay().toMillis() + " ms";
            if (retries < 2) {
                LOG.info(message);
            } else {
                LOG.warn(message);
            }
            context.timeout(Math.max(1, retry.delay().toMillis()));
            throw new RetriableException(message);
        } else if (decision instanceof RetryPolicy.Permanent permanent) {
            pending = null;
            deadLetter(record, permanent.reason());
        } else if (decision instanceof RetryPolicy.Exhausted exhausted) {
            pending = null;
            if (config.deadLetterWhenExhausted()) {
                deadLetter(record, exhausted.reason());
            } else {
                throw new ConnectException(exhausted.reason() + " (event " + eventId + "; its offset is not committed, "
                        + "a restart of the task carries on with it)");
            }
        }
    }

    /** Connect may come back before the backoff is over (its poll also serves offset commits): wait the rest. */
    private void waitForRetry(long notBefore) {
        long remaining = notBefore - clock.millis();
        if (remaining <= 0) {
            return;
        }
        if (remaining <= INLINE_WAIT_MS) {
            try {
                Thread.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while waiting to retry", e);
            }
            return;
        }
        context.timeout(remaining);
        throw new RetriableException("still backing off for " + remaining + " ms");
    }

    /** Writes the delivered id to the log; if Kafka is away, keeps it and tries again before the next record. */
    private void record(String eventId, AlertNotice notice, SinkRecord record, int status) {
        ObjectNode note = MAPPER.createObjectNode()
                .put("alert_id", notice.alertId())
                .put("state", notice.state())
                .put("ts", notice.ts().toEpochMilli())
                .put("topic", record.originalTopic())
                .put("partition", record.originalKafkaPartition())
                .put("offset", record.originalKafkaOffset())
                .put("status", status)
                .put("delivered_at", Instant.now(clock).toString());
        unrecorded.add(new String[] {eventId, note.toString()});
        recordPendingDeliveries();
    }

    private void recordPendingDeliveries() {
        while (!unrecorded.isEmpty()) {
            String[] next = unrecorded.peek();
            try {
                deliveredLog.append(next[0], next[1]);
                unrecorded.poll();
            } catch (RetriableException e) {
                LOG.warn("delivered event {} not yet recorded in {} ({}); will try again", next[0], config.deliveredTopic(),
                        e.getMessage());
                return;
            }
        }
    }

    private void deadLetter(SinkRecord record, String reason) {
        ConnectException problem = new ConnectException(reason);
        if (reporter == null) {
            throw new ConnectException(reason + " (no dead-letter topic: set errors.tolerance=all and "
                    + "errors.deadletterqueue.topic.name to let the task carry on)");
        }
        LOG.warn("alert record {}-{}@{} sent to the dead-letter topic: {}", record.originalTopic(),
                record.originalKafkaPartition(), record.originalKafkaOffset(), reason);
        try {
            // wait: the offset must not be committed before the record is safely in the dead-letter topic
            reporter.report(record, problem).get();
            deadLettered++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reporting a refused alert", e);
        } catch (ExecutionException e) {
            throw new ConnectException("could not report a refused alert: " + e.getCause().getMessage(), problem);
        }
    }

    /**
     * Only what is finished may be committed: a record being retried holds its partition back. Connect
     * counts a batch as consumed only once put() returns normally and ignores an offset beyond that, so
     * ours is capped at Connect's: the rest of a half-done batch is committed with the batch.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        recordPendingDeliveries();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : currentOffsets.entrySet()) {
            Long next = progress.committable(entry.getKey());
            if (next != null && entry.getValue() != null) {
                offsets.put(entry.getKey(), new OffsetAndMetadata(Math.min(next, entry.getValue().offset())));
            }
        }
        return offsets;
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // nothing buffered: every record is posted in put
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(progress::forget);
    }

    @Override
    public void stop() {
        if (deliveredLog != null) {
            recordPendingDeliveries();
            deliveredLog.close();
        }
        LOG.info("webhook sink stopped: {} delivered, {} duplicates skipped, {} dead-lettered", delivered,
                duplicatesSkipped, deadLettered);
    }
}
