package io.tagstream.connect.pgcopy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * Buffers records and writes them with COPY when Connect commits offsets (or the buffer is full), so a
 * committed offset always means the rows are in the database; the upsert on the natural key makes the
 * redelivery after a crash harmless. Rows the database refuses go to the dead-letter topic when the
 * connector has one (errors.tolerance=all), otherwise the task stops with the reason and loses nothing.
 */
public final class PostgresCopySinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCopySinkTask.class);

    private CopySinkConfig config;
    private TableWriter writer;
    private CopyBatch<SinkRecord> batch;
    private ErrantRecordReporter reporter;
    private final Set<String> ignoredFields = new HashSet<>();
    private Set<String> tableColumns;
    private int failedAttempts;

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
        LOG.info("copy sink started table={} key={}", config.table(), config.keyColumns());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            if (record.value() == null) {
                continue; // tombstones: telemetry is append-only; deletes are not this sink's business
            }
            if (!(record.value() instanceof Struct struct)) {
                report(record, new ConnectException("value is not a structured record (use a converter with schemas, "
                        + "e.g. the Avro converter): " + record.value().getClass().getSimpleName()));
                continue;
            }
            List<String> columns = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            Set<String> tableColumns = tableColumns();
            for (Field field : struct.schema().fields()) {
                if (tableColumns.contains(field.name())) {
                    columns.add(field.name());
                    values.add(struct.get(field));
                } else if (ignoredFields.add(field.name())) {
                    LOG.warn("field {} of topic {} has no column in {}; it is not stored", field.name(), record.topic(), config.table());
                }
            }
            if (batch != null && !batch.columns().equals(columns)) {
                flushBatch(); // the record schema changed: finish the rows written with the old column list
            }
            if (batch == null) {
                try {
                    batch = new CopyBatch<>(columns, config.keyColumns());
                } catch (IllegalArgumentException e) {
                    report(record, new ConnectException(e.getMessage(), e));
                    continue;
                }
            }
            try {
                batch.add(values, record);
            } catch (IllegalArgumentException e) {
                report(record, new ConnectException(e.getMessage(), e));
            }
            if (batch.size() >= config.getInt(CopySinkConfig.BATCH_MAX_ROWS)) {
                flushBatch();
            }
        }
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        flushBatch();
    }

    /** Read once: asking the database per record would cost a round trip each (the old bottleneck, ~9k rows/s). */
    private Set<String> tableColumns() {
        if (tableColumns == null) {
            try {
                tableColumns = writer.tableColumns();
            } catch (SQLException e) {
                throw retryOrFail(e);
            }
        }
        return tableColumns;
    }

    private void flushBatch() {
        if (batch == null || batch.isEmpty()) {
            return;
        }
        try {
            writer.write(batch);
            batch.clear();
            failedAttempts = 0;
        } catch (SQLException e) {
            if (TableWriter.isConnectionProblem(e)) {
                throw retryOrFail(e);
            }
            LOG.warn("batch of {} rows refused by {} ({}); writing row by row to find the bad ones", batch.size(), config.table(),
                    e.getMessage());
            try {
                for (TableWriter.Failure<SinkRecord> failure : writer.writeEachRow(batch)) {
                    report(failure.source(), new ConnectException("row refused by " + config.table() + ": "
                            + failure.cause().getMessage(), failure.cause()));
                }
                batch.clear();
                failedAttempts = 0;
            } catch (SQLException lost) {
                throw retryOrFail(lost);
            }
        }
    }

    /** A lost connection: keep the buffered rows and let Connect retry, a bounded number of times. */
    private RuntimeException retryOrFail(SQLException e) {
        failedAttempts++;
        if (failedAttempts > config.getInt(CopySinkConfig.MAX_RETRIES)) {
            return new ConnectException("giving up on " + config.table() + " after " + (failedAttempts - 1) + " retries: "
                    + e.getMessage(), e);
        }
        LOG.warn("writing to {} failed ({}), retry {} of {}", config.table(), e.getMessage(), failedAttempts,
                config.getInt(CopySinkConfig.MAX_RETRIES));
        context.timeout(config.getLong(CopySinkConfig.RETRY_BACKOFF_MS));
        return new RetriableException(e);
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
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ConnectException("could not report a bad record: " + e.getCause().getMessage(), problem);
        }
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.close();
        }
    }
}
