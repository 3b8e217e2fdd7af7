package io.tagstream.connect.pgcopy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes records into binary COPY rows as they arrive and writes them on a writer thread while the
 * next batch fills, so converting records and writing rows overlap: whenever the writer is free it
 * takes what has come, so batches grow with the load up to batch.max.rows. At most one batch is in
 * flight (back-pressure, bounded memory). Offsets are committed only for batches the database has
 * committed ({@link #preCommit}), and the upsert on the natural key makes the redelivery after a crash
 * harmless: exactly-once rows from at-least-once delivery.
 *
 * <p>A batch keeps no records, only their encoded rows. When the database refuses a batch because of
 * some row (a constraint, a bad value), the unwritten records are read again from Kafka and those of the
 * refused batch are written in halves, down to single rows, so only the refused rows go to the dead-letter
 * topic (errors.tolerance=all) or stop the task (otherwise), and nothing is lost. A database outage
 * rewinds the same way, without the halving, as often as it takes.
 */
public final class PostgresCopySinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCopySinkTask.class);

    private CopySinkConfig config;
    private int batchMaxRows;
    private TableWriter writer;
    private ErrantRecordReporter reporter;
    private ExecutorService writerThread;
    private TableLayout layout;

    private Batch filling = new Batch();
    private Batch inFlight;
    private Future<?> inFlightWrite;
    /** The rows buffer of the last written batch, for the next batch to fill. */
    private CopyRows spare;
    /** Offsets (next to read) whose records are in the database or deliberately skipped: safe to commit. */
    private final Map<TopicPartition, OffsetAndMetadata> done = new ConcurrentHashMap<>();
    /** Per partition, the end (exclusive) of a refused batch: records before it are written in small groups. */
    private final Map<TopicPartition, Long> isolateBefore = new HashMap<>();
    /** Partitions being closed: they are not rewound, their next owner reads from the committed offset. */
    private Set<TopicPartition> leaving = Set.of();

    private final Map<Schema, TableLayout.RecordColumns> mappings = new IdentityHashMap<>();
    private Schema lastSchema;
    private TableLayout.RecordColumns lastMapping;
    private TopicPartition lastPartition;
    private final Set<String> ignoredFields = new HashSet<>();

    /** Records seen since the last hand-off: their encoded rows and, per partition, the offsets they span. */
    private static final class Batch {
        CopyRows rows;
        final Map<TopicPartition, Long> starts = new HashMap<>();
        /** Next offset to read, per partition. */
        final Map<TopicPartition, Long> ends = new HashMap<>();

        void saw(TopicPartition partition, long offset) {
            starts.putIfAbsent(partition, offset);
            ends.put(partition, offset + 1);
        }

        boolean hasRows() {
            return rows != null && !rows.isEmpty();
        }
    }

    @Override
    public String version() {
        return PostgresCopySinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> properties) {
        config = new CopySinkConfig(properties);
        batchMaxRows = config.getInt(CopySinkConfig.BATCH_MAX_ROWS);
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
            take(records);
        }
        if (writerIdle()) {
            // whatever came while the writer was busy goes now: batches grow with the load (up to
            // batch.max.rows) and the writer never waits for a full batch or for the commit timer
            handOff();
        } else if (filling.hasRows()) {
            // rows wait for the writer: have Connect call again soon even if no records come (its consumer
            // poll would otherwise block until the next offset commit)
            context.timeout(WRITER_CHECK_MS);
        }
    }

    /** How soon Connect is to call again while rows wait for a busy writer. */
    private static final long WRITER_CHECK_MS = 20;

    private void take(Collection<SinkRecord> records) {
        layout(); // before any record is taken, so a retry of this put starts clean
        // partitions rewound during this put: their later records here come again from Kafka, in order
        Map<TopicPartition, Long> reread = new HashMap<>();
        Map<TopicPartition, Long> isolated = isolateBefore.isEmpty() ? Map.of() : isolate(records, reread);
        for (SinkRecord record : records) {
            TopicPartition partition = partition(record);
            long offset = record.originalKafkaOffset();
            if (offset < isolated.getOrDefault(partition, Long.MIN_VALUE) || offset >= reread.getOrDefault(partition, Long.MAX_VALUE)) {
                continue;
            }
            accept(record, partition, offset, reread);
            if (filling.rows != null && filling.rows.size() >= batchMaxRows) {
                reread.putAll(handOff());
            }
        }
    }

    /** Adds the record's row to the filling batch, or reports why it has none. */
    private void accept(SinkRecord record, TopicPartition partition, long offset, Map<TopicPartition, Long> reread) {
        if (record.value() == null) {
            filling.saw(partition, offset); // tombstones: telemetry is append-only; deletes are not this sink's business
            return;
        }
        if (!(record.value() instanceof Struct struct)) {
            filling.saw(partition, offset);
            report(record, new ConnectException("value is not a structured record (use a converter with schemas, "
                    + "e.g. the Avro converter): " + record.value().getClass().getSimpleName()));
            return;
        }
        TableLayout.RecordColumns mapping;
        try {
            mapping = mapping(struct.schema());
        } catch (IllegalArgumentException e) {
            filling.saw(partition, offset);
            report(record, new ConnectException(e.getMessage(), e));
            return;
        }
        if (filling.rows != null && !filling.rows.columns().equals(mapping.names())) {
            // the record schema changed: the rows with the old column list go first
            reread.putAll(handOff());
            if (offset >= reread.getOrDefault(partition, Long.MAX_VALUE)) {
                return;
            }
        }
        filling.saw(partition, offset);
        if (filling.rows == null) {
            filling.rows = rowsFor(mapping.names());
        }
        try {
            mapping.encode(struct, filling.rows);
        } catch (IllegalArgumentException e) {
            report(record, new ConnectException(e.getMessage(), e));
        }
    }

    /** Connect asks which offsets it may commit: only those of written batches. It does not wait for the writer. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        if (writerIdle()) {
            handOff();
        }
        return new HashMap<>(done);
    }

    private boolean writerIdle() {
        return inFlightWrite == null || inFlightWrite.isDone();
    }

    /** Partitions leave this task: write what is buffered first, so the next owner starts after it. */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        leaving = Set.copyOf(partitions);
        try {
            handOff();
            finishInFlight();
        } finally {
            leaving = Set.of();
        }
        partitions.forEach(done::remove);
        partitions.forEach(isolateBefore::remove);
    }

    /**
     * Waits for the batch in flight, then sends the filling one to the writer thread. Returns the
     * partitions rewound (with the offset they are read again from) when the batch in flight was not
     * written; the filling one was then dropped too.
     */
    private Map<TopicPartition, Long> handOff() {
        Map<TopicPartition, Long> rewound = finishInFlight();
        if (!rewound.isEmpty()) {
            return rewound;
        }
        Batch full = filling;
        filling = new Batch();
        if (!full.hasRows()) {
            full.ends.forEach((partition, end) -> done.put(partition, new OffsetAndMetadata(end))); // only skipped records
            return Map.of();
        }
        inFlight = full;
        inFlightWrite = writerThread.submit(() -> writeWithRetries(full.rows, 0, full.rows.size()));
        return Map.of();
    }

    private Map<TopicPartition, Long> finishInFlight() {
        if (inFlightWrite == null) {
            return Map.of();
        }
        try {
            inFlightWrite.get();
            inFlight.ends.forEach((partition, end) -> done.put(partition, new OffsetAndMetadata(end)));
            spare = inFlight.rows;
            inFlight = null;
            context.requestCommit(); // the rows are in: commit now rather than at the next interval
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while writing to " + config.table(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RowsRefused refused) {
                LOG.warn("batch of {} rows refused by {} ({}); reading it again to write it in smaller groups and single out the "
                        + "refused rows", inFlight.rows.size(), config.table(), refused.getMessage());
                isolateBefore.putAll(inFlight.ends);
                return discard();
            }
            if (e.getCause() instanceof DatabaseUnavailable lost) {
                LOG.warn("database unavailable for {} ({}); reading the unwritten records again", config.table(), lost.getMessage());
                return discard();
            }
            // the batch was not written and its offsets not committed: a restart reads it again
            throw e.getCause() instanceof ConnectException c ? c : new ConnectException(e.getCause());
        } finally {
            inFlightWrite = null;
        }
    }

    /**
     * Drops what was not written (the batch in flight, which has failed, and the filling one) and has
     * Connect read it again from Kafka from its first offset. Rows are upserted on their key, so rows
     * read twice are harmless.
     */
    private Map<TopicPartition, Long> discard() {
        Map<TopicPartition, Long> rewind = new HashMap<>();
        if (inFlight != null) {
            rewind.putAll(inFlight.starts);
        }
        filling.starts.forEach((partition, offset) -> rewind.merge(partition, offset, Math::min));
        filling = new Batch();
        inFlight = null;
        rewind.keySet().removeAll(leaving);
        if (!rewind.isEmpty()) {
            LOG.info("reading {} again from {}", config.table(), rewind);
            context.offset(rewind);
        }
        return rewind;
    }

    /**
     * The records of a refused batch, read again: written here, synchronously, in groups that are halved
     * while the database refuses them, down to the single rows that go to the dead-letter topic. Returns,
     * per partition, the end of the refused batch as it was when this put began: records before it are
     * this method's business.
     */
    private Map<TopicPartition, Long> isolate(Collection<SinkRecord> records, Map<TopicPartition, Long> reread) {
        reread.putAll(finishInFlight()); // the writer's connection is used here, on this thread
        Map<TopicPartition, Long> isolating = new HashMap<>(isolateBefore);
        List<Batch> groups = new ArrayList<>();
        List<List<SinkRecord>> sources = new ArrayList<>();
        Batch group = new Batch();
        for (SinkRecord record : records) {
            TopicPartition partition = partition(record);
            long offset = record.originalKafkaOffset();
            Long before = isolating.get(partition);
            if (before == null || offset >= before || offset >= reread.getOrDefault(partition, Long.MAX_VALUE)) {
                if (before != null && offset >= before) {
                    isolateBefore.remove(partition); // past the refused batch: back to full batches
                }
                continue;
            }
            if (offset == before - 1) {
                isolateBefore.remove(partition);
            }
            if (!(record.value() instanceof Struct struct)) {
                group.saw(partition, offset);
                if (record.value() != null) {
                    report(record, new ConnectException("value is not a structured record: " + record.value().getClass().getSimpleName()));
                }
                continue;
            }
            TableLayout.RecordColumns mapping;
            try {
                mapping = mapping(struct.schema());
            } catch (IllegalArgumentException e) {
                group.saw(partition, offset);
                report(record, new ConnectException(e.getMessage(), e));
                continue;
            }
            if (group.rows != null && !group.rows.columns().equals(mapping.names())) {
                groups.add(group);
                group = new Batch();
            }
            group.saw(partition, offset);
            if (group.rows == null) {
                group.rows = new CopyRows(mapping.names());
                sources.add(new ArrayList<>());
            }
            try {
                mapping.encode(struct, group.rows);
                sources.get(sources.size() - 1).add(record);
            } catch (IllegalArgumentException e) {
                report(record, new ConnectException(e.getMessage(), e));
            }
        }
        groups.add(group);
        int withRows = 0;
        for (int i = 0; i < groups.size(); i++) {
            Batch written = groups.get(i);
            if (written.rows != null) {
                try {
                    writeHalving(written.rows, sources.get(withRows++), 0, written.rows.size());
                } catch (DatabaseUnavailable lost) {
                    LOG.warn("database unavailable for {} ({}); reading the unwritten records again", config.table(), lost.getMessage());
                    for (Batch unwritten : groups.subList(i, groups.size())) {
                        unwritten.starts.forEach((partition, offset) -> filling.starts.merge(partition, offset, Math::min));
                    }
                    reread.putAll(discard());
                    return isolating;
                }
            }
            written.ends.forEach((partition, end) -> done.put(partition, new OffsetAndMetadata(end)));
        }
        return isolating;
    }

    private void writeHalving(CopyRows rows, List<SinkRecord> sources, int from, int to) {
        try {
            writeWithRetries(rows, from, to);
        } catch (RowsRefused refused) {
            if (to - from == 1) {
                report(sources.get(from), new ConnectException("row refused by " + config.table() + ": " + refused.getMessage(),
                        refused.getCause()));
                return;
            }
            int middle = (from + to) >>> 1;
            writeHalving(rows, sources, from, middle);
            writeHalving(rows, sources, middle, to);
        }
    }

    /** Rows refused by the database for a reason about some row (SQLSTATE class 22 or 23). */
    private static final class RowsRefused extends ConnectException {
        RowsRefused(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The database stayed out of reach through the writer's retries. */
    private static final class DatabaseUnavailable extends ConnectException {
        DatabaseUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The rows in one transaction, retrying lost connections; other failures say what happened. */
    private void writeWithRetries(CopyRows rows, int from, int to) {
        int maxRetries = config.getInt(CopySinkConfig.MAX_RETRIES);
        for (int attempt = 0; ; attempt++) {
            try {
                writer.write(rows, from, to);
                return;
            } catch (SQLException e) {
                if (TableWriter.isRowProblem(e)) {
                    throw new RowsRefused(e);
                }
                if (!TableWriter.isConnectionProblem(e)) {
                    throw new ConnectException("writing to " + config.table() + " failed (SQLSTATE " + e.getSQLState() + "): "
                            + e.getMessage(), e);
                }
                if (attempt >= maxRetries) {
                    throw new DatabaseUnavailable("no connection after " + maxRetries + " retries: " + e.getMessage(), e);
                }
                LOG.warn("writing {} rows to {} failed ({}), retry {} of {}", to - from, config.table(), e.getMessage(),
                        attempt + 1, maxRetries);
                sleep(config.getLong(CopySinkConfig.RETRY_BACKOFF_MS));
            }
        }
    }

    /** A rows buffer for this column list, reusing the last written batch's when it fits. */
    private CopyRows rowsFor(List<String> columns) {
        CopyRows reused = spare;
        spare = null;
        if (reused != null && reused.columns().equals(columns)) {
            reused.clear();
            return reused;
        }
        return new CopyRows(columns);
    }

    /** Records of one schema map to the same columns: looked up once per schema object, not per record. */
    private TableLayout.RecordColumns mapping(Schema schema) {
        if (schema == lastSchema) {
            return lastMapping;
        }
        TableLayout.RecordColumns mapping = mappings.get(schema);
        if (mapping == null) {
            mapping = layout.mapping(schema);
            for (String field : mapping.ignoredFields()) {
                if (ignoredFields.add(field)) {
                    LOG.warn("field {} has no column in {}; it is not stored", field, config.table());
                }
            }
            if (mappings.size() >= 256) {
                mappings.clear(); // a converter that makes a new schema object per record: stay bounded
            }
            mappings.put(schema, mapping);
        }
        lastSchema = schema;
        lastMapping = mapping;
        return mapping;
    }

    /** Where the record was read from (before any transformation renamed its topic): what is committed and rewound. */
    private TopicPartition partition(SinkRecord record) {
        String topic = record.originalTopic();
        int partition = record.originalKafkaPartition();
        if (lastPartition == null || lastPartition.partition() != partition || !lastPartition.topic().equals(topic)) {
            lastPartition = new TopicPartition(topic, partition);
        }
        return lastPartition;
    }

    /** Read once: asking the database per record would cost a round trip each. */
    private TableLayout layout() {
        if (layout == null) {
            try {
                layout = writer.layout();
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
        return layout;
    }

    private void report(SinkRecord record, ConnectException problem) {
        if (reporter == null) {
            throw problem;
        }
        LOG.warn("record {}-{}@{} sent to the dead-letter topic: {}", record.originalTopic(), record.originalKafkaPartition(),
                record.originalKafkaOffset(), problem.getMessage());
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
        // what is not written is not committed: it is read again by whoever runs next
        if (writerThread != null) {
            writerThread.shutdownNow();
        }
        if (writer != null) {
            writer.close();
        }
    }
}
