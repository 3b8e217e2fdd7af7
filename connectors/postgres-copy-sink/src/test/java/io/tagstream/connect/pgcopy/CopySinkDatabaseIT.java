package io.tagstream.connect.pgcopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.StackDatabase;
import io.tagstream.testkit.TestIds;

/**
 * The sink's writer and task against the stack's real PostgreSQL, on tables of this test's own schema:
 * every column type the binary encoding supports reads back as written, redeliveries and repeated keys
 * upsert, and a refused row is found by reading the batch again and halving it, while its neighbours land.
 */
class CopySinkDatabaseIT {

    private static StackEndpoints stack;
    private static StackDatabase database;
    private static final String SCHEMA = "copy_sink_it_" + TestIds.next();

    @BeforeAll
    static void createTables() throws SQLException {
        stack = SharedStack.get();
        database = new StackDatabase(stack);
        database.execute("CREATE SCHEMA " + SCHEMA,
                "CREATE TYPE " + SCHEMA + ".mood AS ENUM ('CALM', 'ANGRY')",
                "CREATE DOMAIN " + SCHEMA + ".percent AS double precision CHECK (VALUE BETWEEN 0 AND 100)",
                "CREATE TABLE " + SCHEMA + ".everything (id text NOT NULL, t text, vc varchar(20), b boolean, i2 smallint, "
                        + "i4 integer, i8 bigint, f4 real, f8 double precision, ts timestamptz, lts timestamp, d date, j json, jb jsonb, "
                        + "u uuid, m " + SCHEMA + ".mood, p " + SCHEMA + ".percent, created timestamptz NOT NULL DEFAULT now())",
                "CREATE UNIQUE INDEX ON " + SCHEMA + ".everything (id)",
                "CREATE TABLE " + SCHEMA + ".readings (tag text NOT NULL, ts timestamptz NOT NULL, "
                        + "value double precision CHECK (value >= 0), quality text NOT NULL)",
                "CREATE UNIQUE INDEX ON " + SCHEMA + ".readings (tag, ts)");
    }

    @AfterAll
    static void dropTables() throws SQLException {
        database.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    private static TableWriter writer(String table, String... key) {
        return new TableWriter(stack.jdbcUrl(), stack.postgresSuperuser(), stack.postgresPassword(), SCHEMA + "." + table, List.of(key));
    }

    private static final Schema EVERYTHING = SchemaBuilder.struct()
            .field("id", Schema.STRING_SCHEMA).field("t", Schema.OPTIONAL_STRING_SCHEMA).field("vc", Schema.OPTIONAL_STRING_SCHEMA)
            .field("b", Schema.OPTIONAL_BOOLEAN_SCHEMA).field("i2", Schema.OPTIONAL_INT16_SCHEMA).field("i4", Schema.OPTIONAL_INT32_SCHEMA)
            .field("i8", Schema.OPTIONAL_INT64_SCHEMA).field("f4", Schema.OPTIONAL_FLOAT32_SCHEMA).field("f8", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("ts", Timestamp.builder().optional().build()).field("lts", Timestamp.builder().optional().build())
            .field("d", org.apache.kafka.connect.data.Date.builder().optional().build())
            .field("j", Schema.OPTIONAL_STRING_SCHEMA).field("jb", Schema.OPTIONAL_STRING_SCHEMA).field("u", Schema.OPTIONAL_STRING_SCHEMA)
            .field("m", Schema.OPTIONAL_STRING_SCHEMA).field("p", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();

    @Test
    void everySupportedTypeReadsBackAsWritten() throws Exception {
        try (TableWriter writer = writer("everything", "id")) {
            TableLayout.RecordColumns mapping = writer.layout().mapping(EVERYTHING);
            CopyRows rows = new CopyRows(mapping.names());
            mapping.encode(new Struct(EVERYTHING).put("id", "full").put("t", "Ünïcödé, \"quoted\"\n").put("vc", "short")
                    .put("b", true).put("i2", (short) -12).put("i4", 123_456).put("i8", Long.MIN_VALUE).put("f4", 1.5f)
                    .put("f8", Double.NEGATIVE_INFINITY).put("ts", new Date(1_772_359_200_123L)).put("lts", new Date(-1L))
                    .put("d", new Date(1_772_323_200_000L)).put("j", "{\"a\": [1, 2]}").put("jb", "{\"b\": null}")
                    .put("u", "00112233-4455-6677-8899-aabbccddeeff").put("m", "ANGRY").put("p", 99.5), rows);
            mapping.encode(new Struct(EVERYTHING).put("id", "empty"), rows);
            writer.write(rows, 0, rows.size());
        }
        assertThat(select("SELECT id, t, vc, b, i2, i4, i8, f4, f8, ts AT TIME ZONE 'UTC', lts, d, j::text, jb::text, u, m, p, "
                + "created IS NOT NULL FROM " + SCHEMA + ".everything ORDER BY id")).containsExactly(
                "empty|null|null|null|null|null|null|null|null|null|null|null|null|null|null|null|null|t",
                "full|Ünïcödé, \"quoted\"\n|short|t|-12|123456|-9223372036854775808|1.5|-Infinity|2026-03-01 10:00:00.123|"
                        + "1969-12-31 23:59:59.999|2026-03-01|{\"a\": [1, 2]}|{\"b\": null}|00112233-4455-6677-8899-aabbccddeeff|ANGRY|99.5|t");
    }

    @Test
    void aRepeatedKeyInOneBatchAndARowAlreadyStoredUpsertToTheLastVersion() throws Exception {
        try (TableWriter writer = writer("readings", "tag", "ts")) {
            TableLayout.RecordColumns mapping = writer.layout().mapping(READING);
            CopyRows rows = new CopyRows(mapping.names());
            mapping.encode(reading("UP", 0, 1.0), rows);
            writer.write(rows, 0, rows.size());

            rows.clear();
            mapping.encode(reading("UP", 0, 2.0), rows); // stored already
            mapping.encode(reading("UP", 1, 3.0), rows);
            mapping.encode(reading("UP", 1, 4.0), rows); // the same key again in the batch: the later one wins
            mapping.encode(reading("UP", 2, 5.0), rows);
            writer.write(rows, 0, rows.size());
        }
        assertThat(select("SELECT extract(epoch FROM ts)::int - 1772359200, value FROM " + SCHEMA + ".readings WHERE tag = 'UP' ORDER BY ts"))
                .containsExactly("0|2", "1|4", "2|5");
    }

    @Test
    void refusalsAreToldApartFromLostConnectionsAndFromProblemsNoRowCauses() throws Exception {
        try (TableWriter writer = writer("readings", "tag", "ts")) {
            TableLayout.RecordColumns mapping = writer.layout().mapping(READING);
            CopyRows rows = new CopyRows(mapping.names());
            mapping.encode(reading("CHECK", 0, -1.0), rows);
            assertThatThrownBy(() -> writer.write(rows, 0, 1)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(TableWriter.isRowProblem(e)).isTrue();
                assertThat(TableWriter.isConnectionProblem(e)).isFalse();
            });
        }
        database.execute("CREATE ROLE " + SCHEMA + "_reader LOGIN PASSWORD 'reader-secret'",
                "GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + SCHEMA + "_reader",
                "GRANT SELECT ON " + SCHEMA + ".readings TO " + SCHEMA + "_reader");
        try (TableWriter reader = new TableWriter(stack.jdbcUrl(), SCHEMA + "_reader", "reader-secret", SCHEMA + ".readings",
                List.of("tag", "ts"))) {
            TableLayout.RecordColumns mapping = reader.layout().mapping(READING);
            CopyRows rows = new CopyRows(mapping.names());
            mapping.encode(reading("DENIED", 0, 1.0), rows);
            assertThatThrownBy(() -> reader.write(rows, 0, 1)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(TableWriter.isRowProblem(e)).as("no permission is not a row's fault").isFalse();
            });
        } finally {
            database.execute("DROP OWNED BY " + SCHEMA + "_reader", "DROP ROLE " + SCHEMA + "_reader");
        }
    }

    /**
     * The task is driven the way Connect drives it: the refused batch makes it rewind; the records read
     * again are written in halves, the refused ones reported, the others stored, and only then committed.
     */
    @Test
    void aRefusedRowIsSingledOutAfterTheBatchIsReadAgain() throws Exception {
        RecordingContext context = new RecordingContext();
        PostgresCopySinkTask task = new PostgresCopySinkTask();
        task.initialize(context);
        Map<String, String> config = new HashMap<>();
        config.put(CopySinkConfig.CONNECTION_URL, stack.jdbcUrl());
        config.put(CopySinkConfig.CONNECTION_USER, stack.postgresSuperuser());
        config.put(CopySinkConfig.CONNECTION_PASSWORD, stack.postgresPassword());
        config.put(CopySinkConfig.TABLE, SCHEMA + ".readings");
        config.put(CopySinkConfig.KEY_COLUMNS, "tag,ts");
        task.start(config);
        try {
            List<SinkRecord> records = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                double value = i == 13 || i == 31 ? -i : i; // two rows the CHECK constraint refuses
                records.add(new SinkRecord("clean", i % 2, null, null, READING, reading("ISO", i, value), 100 + i / 2));
            }
            task.put(records); // the writer is free: the batch goes at once
            // Connect's next rounds: the task learns the batch was refused and has it read again
            Map<TopicPartition, OffsetAndMetadata> committed = driveUntil(task, c -> !context.offsets.isEmpty());
            assertThat(committed).as("nothing of the refused batch is committed").isEmpty();
            assertThat(context.offsets).containsOnly(Map.entry(new TopicPartition("clean", 0), 100L),
                    Map.entry(new TopicPartition("clean", 1), 100L));
            assertThat(select("SELECT count(*) FROM " + SCHEMA + ".readings WHERE tag = 'ISO'")).containsExactly("0");

            context.offsets.clear();
            task.put(records); // what Connect reads after the rewind
            committed = task.preCommit(Map.of());
            assertThat(context.offsets).as("no further rewind").isEmpty();
            assertThat(committed).containsOnly(Map.entry(new TopicPartition("clean", 0), new OffsetAndMetadata(120)),
                    Map.entry(new TopicPartition("clean", 1), new OffsetAndMetadata(120)));
            assertThat(context.reported).extracting(r -> ((Struct) r.value()).getFloat64("value")).containsExactlyInAnyOrder(-13.0, -31.0);
            assertThat(context.reasons).allSatisfy(reason -> assertThat(reason).contains(SCHEMA + ".readings").contains("check constraint"));
            assertThat(select("SELECT count(*), sum(value) FROM " + SCHEMA + ".readings WHERE tag = 'ISO'"))
                    .containsExactly("38|" + (40 * 39 / 2 - 13 - 31));

            // after the refused batch, whole batches again
            task.put(List.of(new SinkRecord("clean", 0, null, null, READING, reading("ISO", 50, 50.0), 120)));
            driveUntil(task, c -> new OffsetAndMetadata(121).equals(c.get(new TopicPartition("clean", 0))));
            assertThat(context.reported).hasSize(2);
            assertThat(context.commitsRequested).as("a commit asked for as soon as rows are in").isPositive();
        } finally {
            task.stop();
        }
    }

    /** Empty puts and commits, as Connect's loop makes them while no records come, until the condition holds. */
    private static Map<TopicPartition, OffsetAndMetadata> driveUntil(PostgresCopySinkTask task,
            java.util.function.Predicate<Map<TopicPartition, OffsetAndMetadata>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            task.put(List.of());
            Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
            if (condition.test(committed)) {
                return committed;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met; last offsets to commit: " + committed);
            }
            Thread.sleep(20);
        }
    }

    private static final Schema READING = SchemaBuilder.struct().field("tag", Schema.STRING_SCHEMA).field("ts", Timestamp.SCHEMA)
            .field("value", Schema.OPTIONAL_FLOAT64_SCHEMA).field("quality", Schema.STRING_SCHEMA).build();

    private static Struct reading(String tag, int second, double value) {
        return new Struct(READING).put("tag", tag).put("ts", new Date(1_772_359_200_000L + second * 1000L)).put("value", value)
                .put("quality", "GOOD");
    }

    /** The rows in PostgreSQL's text form, read as the superuser. */
    private static List<String> select(String sql) throws SQLException {
        try (Connection db = database.superuser()) {
            return StackDatabase.text(db, sql);
        }
    }

    private static final class RecordingContext implements SinkTaskContext {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        final List<SinkRecord> reported = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();
        int commitsRequested;

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
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(new TopicPartition("clean", 0), new TopicPartition("clean", 1));
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
            commitsRequested++;
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return new ErrantRecordReporter() {
                @Override
                public Future<Void> report(SinkRecord record, Throwable error) {
                    reported.add(record);
                    reasons.add(error.getMessage());
                    return CompletableFuture.completedFuture(null);
                }
            };
        }

        @Override
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
