package io.tagstream.connect.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.connect.http.core.Backoff;
import io.tagstream.connect.http.core.FetchOutcome;
import io.tagstream.connect.http.core.ReadingValue;
import io.tagstream.connect.http.core.RowMapper;
import io.tagstream.connect.http.core.SlicePlanner;
import io.tagstream.connect.http.core.StreamCursor;
import io.tagstream.connect.http.core.UrlTemplate;
import io.tagstream.connect.reading.ReadingRecord;

/**
 * Polls the task's streams one request at a time. Each poll returns the readings of one page together with
 * the source offset that page advances to; the worker (exactly-once source support) commits both in one
 * transaction, so after a crash the task resumes at the first page whose records are not in Kafka.
 * Failures never stop the task: transient ones wait (backoff, Retry-After), error payloads go to the
 * dead-letter topic and are asked again later, and in both cases the offset stays where it is.
 */
public final class HttpSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSourceTask.class);
    /** Longest a poll() blocks, so stop() and rebalances are never held up by a long wait. */
    private static final long MAX_BLOCK_MS = 1_000;

    private final Clock clock;
    private final Sleeper sleeper;
    private final Object wake = new Object();
    private volatile boolean stopping;

    private String connector;
    private String topic;
    private UrlTemplate template;
    private RowMapper mapper;
    private HttpFetcher fetcher;
    private DeadLetters deadLetters;
    private Backoff backoff;
    private Duration pollInterval;
    private Duration errorRetry;
    private String secret;
    private final List<StreamState> streams = new ArrayList<>();

    /** How poll() waits; tests substitute one that moves their clock instead. */
    interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    public HttpSourceTask() {
        this(Clock.systemUTC(), null);
    }

    HttpSourceTask(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper != null ? sleeper : this::waitForWake;
    }

    /** Scheduling state of one stream; its progress lives in the cursor. */
    private static final class StreamState {
        final StreamCursor cursor;
        final Map<String, Object> partition;
        Instant notBefore = Instant.EPOCH;
        int attempts;
        boolean caughtUp;

        StreamState(StreamCursor cursor, Map<String, Object> partition) {
            this.cursor = cursor;
            this.partition = partition;
        }
    }

    @Override
    public String version() {
        return HttpSourceConnector.VERSION;
    }

    static Map<String, Object> partition(String connector, String stream) {
        Map<String, Object> partition = new HashMap<>();
        partition.put("connector", connector);
        partition.put("stream", stream);
        return partition;
    }

    @Override
    public void start(Map<String, String> props) {
        stopping = false;
        HttpSourceConfig config = new HttpSourceConfig(props);
        connector = props.getOrDefault("name", "http-source");
        topic = config.string(HttpSourceConfig.TOPIC);
        template = config.template();
        mapper = config.rowMapper();
        secret = config.secret();
        backoff = new Backoff(Duration.ofMillis(config.longValue(HttpSourceConfig.RETRY_BACKOFF_MS)),
                Duration.ofMillis(config.longValue(HttpSourceConfig.RETRY_BACKOFF_MAX_MS)));
        pollInterval = Duration.ofMillis(config.longValue(HttpSourceConfig.POLL_INTERVAL_MS));
        errorRetry = Duration.ofMillis(config.longValue(HttpSourceConfig.ERROR_RETRY_MS));
        fetcher = new HttpFetcher(Duration.ofMillis(config.intValue(HttpSourceConfig.HTTP_TIMEOUT_MS)),
                HttpFetcher.AuthMode.valueOf(config.string(HttpSourceConfig.AUTH_MODE).toUpperCase(Locale.ROOT)),
                config.string(HttpSourceConfig.AUTH_PARAM), config.string(HttpSourceConfig.AUTH_PREFIX), secret,
                config.parser(), clock);
        deadLetters = new DeadLetters(config.getString(HttpSourceConfig.DLQ_TOPIC),
                config.getString(HttpSourceConfig.DLQ_BOOTSTRAP_SERVERS), connector);

        SlicePlanner planner = config.planner(clock.instant());
        List<Map<String, Object>> partitions = new ArrayList<>();
        streams.clear();
        for (String stream : config.streams()) {
            StreamCursor cursor = new StreamCursor(stream, planner, config.paging(),
                    config.intValue(HttpSourceConfig.PAGE_FIRST), config.intValue(HttpSourceConfig.PAGE_SIZE));
            Map<String, Object> partition = partition(connector, stream);
            partitions.add(partition);
            streams.add(new StreamState(cursor, partition));
        }
        Map<Map<String, Object>, Map<String, Object>> offsets = context.offsetStorageReader().offsets(partitions);
        for (StreamState state : streams) {
            Map<String, Object> offset = offsets == null ? null : offsets.get(state.partition);
            state.cursor.restore(offset);
            LOG.info("connector={} stream={} resumes: last ingested {}, open window {} at page {}", connector,
                    state.cursor.stream(), state.cursor.done() == null ? "none (start " + planner.firstPending(null) + ")" : state.cursor.done(),
                    state.cursor.window(), state.cursor.page());
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (stopping || streams.isEmpty()) {
            return null;
        }
        StreamState state = streams.stream().min(Comparator.comparing(s -> s.notBefore)).orElseThrow();
        Instant now = clock.instant();
        if (state.notBefore.isAfter(now)) {
            pause(Math.min(MAX_BLOCK_MS, Duration.between(now, state.notBefore).toMillis()));
            return null;
        }
        Optional<UrlTemplate.Request> request = state.cursor.nextRequest(now, secret);
        if (request.isEmpty()) {
            if (!state.caughtUp) {
                LOG.info("connector={} stream={} caught up: ingested through {}; polling every {} s", connector,
                        state.cursor.stream(), state.cursor.done(), pollInterval.toSeconds());
                state.caughtUp = true;
            }
            state.notBefore = now.plus(pollInterval);
            return null;
        }
        HttpFetcher.Exchange exchange = fetcher.get(template.render(request.get()));
        String where = "stream=" + state.cursor.stream() + " window=" + request.get().window() + " page=" + request.get().page();
        FetchOutcome outcome = exchange.outcome();
        if (outcome instanceof FetchOutcome.Retry retry) {
            state.attempts++;
            Duration delay = backoff.delay(state.attempts, retry.retryAfter());
            state.notBefore = clock.instant().plus(delay);
            LOG.info("connector={} {} transient failure (attempt {}): {}; retrying in {} ms, offset unchanged",
                    connector, where, state.attempts, retry.reason(), delay.toMillis());
            return null;
        }
        if (outcome instanceof FetchOutcome.ErrorPayload error) {
            state.attempts++;
            state.notBefore = clock.instant().plus(errorRetry);
            LOG.warn("connector={} {} url={} API error: {}; payload ({} bytes) {}; offset stays at {}, asking again in {} ms",
                    connector, where, exchange.url(), error.reason(), exchange.body().length,
                    deadLetters.enabled() ? "sent to the dead-letter topic" : "not kept (no dlq.topic)",
                    state.cursor.done(), errorRetry.toMillis());
            deadLetters.send(state.cursor.stream(), exchange.url(), error.status(), request.get().window().toString(),
                    error.reason(), exchange.body());
            return null;
        }
        FetchOutcome.Page page = (FetchOutcome.Page) outcome;
        state.attempts = 0;
        state.caughtUp = false;
        StreamCursor.Accepted accepted = state.cursor.accept(page, mapper);
        for (StreamCursor.BadRow bad : accepted.badRows()) {
            LOG.warn("connector={} {} row not ingested: {}", connector, where, bad.reason());
            deadLetters.send(state.cursor.stream(), exchange.url(), 200, request.get().window().toString(),
                    "unmappable row: " + bad.reason(), bad.raw().getBytes(StandardCharsets.UTF_8));
        }
        if (accepted.windowDone()) {
            LOG.debug("connector={} stream={} window {} done", connector, state.cursor.stream(), accepted.window());
        }
        Map<String, Object> offset = state.cursor.offset();
        List<SourceRecord> records = new ArrayList<>(accepted.readings().size());
        for (ReadingValue reading : accepted.readings()) {
            records.add(new SourceRecord(state.partition, offset, topic, null, Schema.STRING_SCHEMA, reading.key(),
                    ReadingRecord.SCHEMA, readingRecord(reading), reading.ts().toEpochMilli()));
        }
        return records.isEmpty() ? null : records;
    }

    private Struct readingRecord(ReadingValue reading) {
        return ReadingRecord.measured(reading.ts(), reading.site(), reading.line(), reading.device(), reading.tag(),
                reading.value(), reading.unit(), ReadingRecord.Quality.valueOf(reading.quality().name()), connector);
    }

    private void pause(long ms) throws InterruptedException {
        if (ms > 0) {
            sleeper.sleep(ms);
        }
    }

    private void waitForWake(long ms) throws InterruptedException {
        synchronized (wake) {
            if (!stopping) {
                wake.wait(ms);
            }
        }
    }

    @Override
    public void stop() {
        stopping = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
    }
}
