package io.tagstream.connect.pgcopy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers records into batches and writes each batch with COPY on a writer thread while the next batch
 * fills, so converting records and writing rows overlap. At most one batch is in flight (back-pressure,
 * bounded memory). Offsets are committed only for batches the database has committed
 * ({@link #preCommit}), and the upsert on the natural key makes the redelivery after a crash harmless:
 * exactly-once rows from at-least-once delivery. Rows the database refuses go to the dead-letter topic
 * when the connector has one (errors.tolerance=all); otherwise the task stops with the reason and loses
 * nothing.
 */
public final class PostgresCopySinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCopySinkTask.class);

    private CopySinkConfig config;
    private TableWriter writer;
    private ErrantRecordReporter reporter;
    private ExecutorService writerThread;

    private CopyBatch<SinkRecord> batch;
    /** Offsets (next to read) of every record seen since the last hand-off, written or skipped. */
    private Map<TopicPartition, OffsetAndMetadata> batchOffsets = new HashMap<>();
    /** First offset per partition of the batch being filled and of the one in flight: where a lost batch is read again. */
    private Map<TopicPartition, Long> batchStarts = new HashMap<>();
    private Map<TopicPartition, Long> inFlightStarts = new HashMap<>();
    private Future<?> inFlight;
    /** Offsets whose records are in the database (or deliberately skipped): safe to commit. */
    private final Map<TopicPartition, OffsetAndMetadata> done = new ConcurrentHashMap<>();

    private final Set<String> ignoredFields = new HashSet<>();
    private Set<String> tableColumns;

    @Override
    public String version() {
        return PostgresCopySinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> properties) {
        config = new CopySinkConfig(properties);
        writer = new TableWriter(config.url(), config.user(), config.password().value(), config.table(), config.keyColumns());
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            reporter = null; // a worker older than Kafka 2.6
        }
        writerThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "copy-sink-writer-" + config.table());
            thread.setDaemon(true);
            return thread;
        });
        LOG.info("copy sink started table={} key={}", config.table(), config.keyColumns());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (!records.isEmpty()) {
            tableColumns(); // before any record is taken, so a retry of this put starts clean
        }
        for (SinkRecord record : records) {
            accept(record);
            TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
            batchStarts.putIfAbsent(partition, record.kafkaOffset());
            batchOffsets.put(partition, new OffsetAndMetadata(record.kafkaOffset() + 1));
            if (batch != null && batch.size() >= config.getInt(CopySinkConfig.BATCH_MAX_ROWS)) {
                handOff();
            }
        }
    }

    private void accept(SinkRecord record) {
        if (record.value() == null) {
            return; // tombstones: telemetry is append-only; deletes are not this sink's business
        }
        if (!(record.value() instanceof Struct struct)) {
            report(record, new ConnectException("value is not a structured record (use a converter with schemas, "
                    + "e.g. the Avro converter): " + record.value().getClass().getSimpleName()));
            return;
        }
        List<String> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        Set<String> known = tableColumns();
        for (Field field : struct.schema().fields()) {
            if (known.contains(field.name())) {
                columns.add(field.name());
                values.add(struct.get(field));
            } else if (ignoredFields.add(field.name())) {
                LOG.warn("field {} of topic {} has no column in {}; it is not stored", field.name(), record.topic(), config.table());
            }
        }
        if (batch != null && !batch.columns().equals(columns)) {
            handOff(); // the record schema changed: the rows with the old column list go first
        }
        if (batch == null) {
            try {
                batch = new CopyBatch<>(columns, config.keyColumns());
            } catch (IllegalArgumentException e) {
                report(record, new ConnectException(e.getMessage(), e));
                return;
            }
        }
        try {
            batch.add(values, record);
        } catch (IllegalArgumentException e) {
            report(record, new ConnectException(e.getMessage(), e));
        }
    }

    /**
     * Connect asks which offsets it may commit: only those of written batches. A partly filled batch is
     * handed off here so quiet topics still reach the database within one commit interval.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        handOff();
        return new HashMap<>(done);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        handOff();
        awaitInFlight();
    }

    /** Partitions leave this task: write what is buffered first, so the next owner starts after it. */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        handOff();
        awaitInFlight();
        partitions.forEach(done::remove);
    }

    /** Waits for the batch in flight, then sends the current one to the writer thread. */
    private void handOff() {
        awaitInFlight();
        Map<TopicPartition, OffsetAndMetadata> offsets = batchOffsets;
        batchOffsets = new HashMap<>();
        Map<TopicPartition, Long> starts = batchStarts;
        batchStarts = new HashMap<>();
        if (batch == null || batch.isEmpty()) {
            done.putAll(offsets); // only skipped records since the last batch
            return;
        }
        inFlightStarts = starts;
        CopyBatch<SinkRecord> full = batch;
        batch = null;
        inFlight = writerThread.submit(() -> {
            write(full);
            done.putAll(offsets);
        });
    }

    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while writing to " + config.table(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DatabaseUnavailable lost) {
                throw readAgainLater(lost);
            }
            // the batch was not written and its offsets not committed: a restart redelivers it
            throw e.getCause() instanceof ConnectException c ? c : new ConnectException(e.getCause());
        } finally {
            inFlight = null;
        }
    }

    /** The database stayed out of reach through the writer's retries; the batch is to be read again. */
    private static final class DatabaseUnavailable extends ConnectException {
        DatabaseUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The task outlives a database outage: what was not written (the lost batch and the one being filled) is
     * dropped here and read again from Kafka from its first offset, after a pause; Connect redelivers the
     * records of the current put itself. Rows are upserted on their key, so rows read twice are harmless.
     */
    private RetriableException readAgainLater(ConnectException lost) {
        Map<TopicPartition, Long> rewind = new HashMap<>(inFlightStarts);
        batchStarts.forEach((partition, offset) -> rewind.merge(partition, offset, Math::min));
        batch = null;
        batchOffsets = new HashMap<>();
        batchStarts = new HashMap<>();
        inFlightStarts = new HashMap<>();
        long pause = config.getLong(CopySinkConfig.RETRY_BACKOFF_MS);
        LOG.warn("database unavailable for {} ({}); reading {} again from {} in {} ms", config.table(), lost.getMessage(),
                rewind.keySet(), rewind, pause);
        context.offset(rewind);
        context.timeout(pause);
        return new RetriableException("database unavailable for " + config.table() + ": " + lost.getMessage(), lost);
    }

    /** On the writer thread: the whole batch, retrying lost connections, isolating refused rows. */
    private void write(CopyBatch<SinkRecord> rows) {
        int maxRetries = config.getInt(CopySinkConfig.MAX_RETRIES);
        for (int attempt = 0; ; attempt++) {
            try {
                writer.write(rows);
                return;
            } catch (SQLException e) {
                if (!TableWriter.isConnectionProblem(e)) {
                    writeRowByRow(rows, e);
                    return;
                }
                if (attempt >= maxRetries) {
                    throw new DatabaseUnavailable("no connection after " + maxRetries + " retries: " + e.getMessage(), e);
                }
                LOG.warn("writing {} rows to {} failed ({}), retry {} of {}", rows.size(), config.table(), e.getMessage(),
                        attempt + 1, maxRetries);
                sleep(config.getLong(CopySinkConfig.RETRY_BACKOFF_MS));
            }
        }
    }

    private void writeRowByRow(CopyBatch<SinkRecord> rows, SQLException batchFailure) {
        LOG.warn("batch of {} rows refused by {} ({}); writing row by row to find the bad ones", rows.size(), config.table(),
                batchFailure.getMessage());
        try {
            for (TableWriter.Failure<SinkRecord> failure : writer.writeEachRow(rows)) {
                report(failure.source(), new ConnectException("row refused by " + config.table() + ": "
                        + failure.cause().getMessage(), failure.cause()));
            }
        } catch (SQLException lost) {
            throw new ConnectException("lost the database while isolating refused rows in " + config.table() + ": "
                    + lost.getMessage(), lost);
        }
    }

    /** Read once: asking the database per record would cost a round trip each. */
    private Set<String> tableColumns() {
        if (tableColumns == null) {
            try {
                tableColumns = writer.tableColumns();
            } catch (SQLException e) {
                if (TableWriter.isConnectionProblem(e)) {
                    LOG.warn("database unavailable for {} ({}); retrying in {} ms", config.table(), e.getMessage(),
                            config.getLong(CopySinkConfig.RETRY_BACKOFF_MS));
                    context.timeout(config.getLong(CopySinkConfig.RETRY_BACKOFF_MS));
                    throw new RetriableException("cannot read the columns of " + config.table() + ": " + e.getMessage(), e);
                }
                throw new ConnectException("cannot read the columns of " + config.table() + ": " + e.getMessage(), e);
            }
        }
        return tableColumns;
    }

    private void report(SinkRecord record, ConnectException problem) {
        if (reporter == null) {
            throw problem;
        }
        LOG.warn("record {}-{}@{} sent to the dead-letter topic: {}", record.topic(), record.kafkaPartition(), record.kafkaOffset(),
                problem.getMessage());
        try {
            // wait: the offset must not be committed before the record is safely in the dead-letter topic
            reporter.report(record, problem).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reporting a bad record", e);
        } catch (ExecutionException e) {
            throw new ConnectException("could not report a bad record: " + e.getCause().getMessage(), problem);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while waiting to retry", e);
        }
    }

    @Override
    public void stop() {
        // what is not written is not committed: it is redelivered to whoever runs next
        if (writerThread != null) {
            writerThread.shutdownNow();
        }
        if (writer != null) {
            writer.close();
        }
    }
}
