package io.tagstream.database;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.stack.ConnectorConfigs;
import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;

/**
 * Rows per second into PostgreSQL through one of the platform's sinks (connectors/config/sinks/<copy|jdbc>/sink-telemetry-readings.json,
 * in the running stack's Connect worker) beside COPY of the same rows on the same machine, in PostgreSQL's csv and
 * binary formats, and through a staging table with an upsert. Run by
 * scripts/bench-sink against a running stack; cleans up its rows, topic and connector afterwards.
 */
public final class SinkBenchmark {

    private SinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path repo = Path.of(args[1]);
        int readings = Integer.parseInt(args[2]);
        int tags = Integer.parseInt(args[3]);
        int tasks = Integer.parseInt(args[4]);
        String implementation = args.length > 5 ? args[5] : "copy";
        StackEndpoints stack = StackEndpoints.read(home);
        String run = Long.toString(System.currentTimeMillis(), 36);
        String site = "BENCH-" + run;
        String topic = "bench.sink." + run;
        String connector = "bench-sink-" + run;
        System.out.printf("sink benchmark (%s): %,d readings over %,d tags, %d sink task(s), site %s%n", implementation, readings, tags,
                tasks, site);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(6), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            try {
                long produceStart = System.nanoTime();
                produce(stack, topic, site, readings, tags);
                double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
                System.out.printf("  produced to %s in %.1f s (%,.0f records/s)%n", topic, produceSeconds, readings / produceSeconds);

                ObjectNode config = (ObjectNode) ConnectorConfigs.read(repo.resolve("connectors/config/sinks/" + implementation + "/sink-telemetry-readings.json"),
                        stack, repo).path("config");
                config.put("topics", topic);
                config.put("tasks.max", Integer.toString(tasks));
                config.put("consumer.override.auto.offset.reset", "earliest");
                config.put("consumer.override.max.poll.records", "2000");
                vacuum(stack);
                long sinkStart = System.nanoTime();
                JsonHttp.Response created = JsonHttp.put(stack.connectUrl() + "/connectors/" + connector + "/config",
                        JsonHttp.mapper().writeValueAsString(config));
                if (created.status() / 100 != 2) {
                    throw new IllegalStateException("could not create the sink: " + created.body());
                }
                FirstCommit first = new FirstCommit();
                long rows = awaitRows(stack, site, topic, readings, connector, first);
                long sinkEnd = System.nanoTime();
                double sinkSeconds = (sinkEnd - sinkStart) / 1e9;
                JsonHttp.delete(stack.connectUrl() + "/connectors/" + connector);
                double sinkRate = rows / sinkSeconds;
                System.out.printf("  %s sink (upsert): %,d rows in %.1f s = %,.0f rows/s (from creating the connector until every offset is "
                        + "committed)%n", implementation, rows, sinkSeconds, sinkRate);
                System.out.printf("    of which %.1f s until the first commit (%,d rows); after it %,.0f rows/s%n", (first.nanos - sinkStart) / 1e9,
                        first.committed, (rows - first.committed) / ((sinkEnd - first.nanos) / 1e9));

                // each reference on a vacuumed table and keys of its own: a COPY of keys just deleted would pay for
                // checking the dead index entries, and the comparison would flatter the sink
                deleteRows(stack, site);
                vacuum(stack);
                double copyRate = copy(stack, site + "-CSV", readings, tags, false);
                deleteRows(stack, site + "-CSV");
                vacuum(stack);
                double binaryRate = copyBinary(stack, site + "-BINARY", readings, tags);
                deleteRows(stack, site + "-BINARY");
                vacuum(stack);
                double copyUpsertRate = copy(stack, site + "-UPSERT", readings, tags, true);
                deleteRows(stack, site + "-UPSERT");
                System.out.printf("  COPY (csv) into telemetry.readings:           %,.0f rows/s%n", copyRate);
                System.out.printf("  COPY (binary) into telemetry.readings:        %,.0f rows/s%n", binaryRate);
                System.out.printf("  COPY into staging + INSERT .. ON CONFLICT:    %,.0f rows/s%n", copyUpsertRate);
                System.out.printf("  sink / COPY csv = %.2f, sink / COPY binary = %.2f, sink / COPY-upsert = %.2f%n", sinkRate / copyRate,
                        sinkRate / binaryRate, sinkRate / copyUpsertRate);
            } finally {
                JsonHttp.delete(stack.connectUrl() + "/connectors/" + connector);
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                for (String used : List.of(site, site + "-CSV", site + "-BINARY", site + "-UPSERT")) {
                    deleteRows(stack, used);
                }
            }
        }
    }

    private static Reading reading(String site, int tag, long ts, double value) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite(site).setLine("L1").setDevice("DEV" + (tag / 10))
                .setTag("T" + tag).setValue(value).setUnit("bar").setQuality(Quality.GOOD).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("bench").build();
    }

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static void produce(StackEndpoints stack, String topic, String site, int readings, int tags) throws Exception {
        Map<String, Object> serde = stack.avroSerdeConfig();
        AvroKafkaSerializer<Reading> serializer = new AvroKafkaSerializer<>();
        serializer.configure(serde, false);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, Reading> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            for (int i = 0; i < readings; i++) {
                int tag = i % tags;
                long ts = T0 + (long) (i / tags) * 1000;
                Reading r = reading(site, tag, ts, (i % 1000) / 10.0);
                producer.send(new ProducerRecord<>(topic, r.getSite() + "/" + r.getDevice() + "/" + r.getTag(), r));
            }
            producer.flush();
        }
    }

    /** When the sink's offsets were first committed, and how far. */
    private static final class FirstCommit {
        long nanos;
        long committed;
    }

    /**
     * Waits until the sink's committed offsets cover every record: both sinks commit only what is in the
     * database, and asking Kafka costs the database nothing (a count(*) every second would). The rows are
     * counted once at the end.
     */
    private static long awaitRows(StackEndpoints stack, String site, String topic, long expected, String connector, FirstCommit first)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            long committed = 0;
            long lastChange = System.nanoTime();
            while (committed < expected) {
                Thread.sleep(200);
                long now = admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (now != committed) {
                    lastChange = System.nanoTime();
                    if (committed == 0) {
                        first.nanos = lastChange;
                        first.committed = now;
                    }
                }
                committed = now;
                if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("sink stalled at offset " + committed + ": "
                            + JsonHttp.get(stack.connectUrl() + "/connectors/" + connector + "/status").body());
                }
            }
        }
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.postgresSuperuser(), stack.postgresPassword());
             PreparedStatement count = db.prepareStatement("SELECT count(*) FROM telemetry.readings WHERE site = ?")) {
            count.setString(1, site);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                long rows = rs.getLong(1);
                if (rows != expected) {
                    throw new IllegalStateException("offsets committed for " + expected + " records but " + rows + " rows in the table");
                }
                return rows;
            }
        }
    }

    /** COPY as the ingest role; with upsert, through a staging table and INSERT .. ON CONFLICT, as a sink would. */
    private static double copy(StackEndpoints stack, String site, int readings, int tags, boolean upsert)
            throws SQLException, IOException {
        StringBuilder csv = new StringBuilder(readings * 80);
        for (int i = 0; i < readings; i++) {
            int tag = i % tags;
            Reading r = reading(site, tag, T0 + (long) (i / tags) * 1000, (i % 1000) / 10.0);
            csv.append(r.getSite()).append(',').append(r.getDevice()).append(',').append(r.getTag()).append(',')
                    .append(r.getTs()).append(',').append(r.getLine()).append(',').append(r.getValue()).append(',')
                    .append(r.getUnit()).append(",GOOD,MEASURED,,bench\n");
        }
        String columns = "(site, device, tag, ts, line, value, unit, quality, origin, imputation, source)";
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "ingest", stack.rolePassword("ingest"))) {
            db.setAutoCommit(false);
            long start = System.nanoTime();
            var copy = db.unwrap(PGConnection.class).getCopyAPI();
            if (upsert) {
                try (Statement st = db.createStatement()) {
                    st.execute("CREATE TEMP TABLE staging (LIKE telemetry.readings INCLUDING DEFAULTS) ON COMMIT DROP");
                }
                copy.copyIn("COPY staging " + columns + " FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
                try (Statement st = db.createStatement()) {
                    st.execute("INSERT INTO telemetry.readings SELECT * FROM staging ON CONFLICT (site, device, tag, ts) DO UPDATE "
                            + "SET value = EXCLUDED.value, quality = EXCLUDED.quality, origin = EXCLUDED.origin, "
                            + "imputation = EXCLUDED.imputation, unit = EXCLUDED.unit, line = EXCLUDED.line, source = EXCLUDED.source");
                }
            } else {
                copy.copyIn("COPY telemetry.readings " + columns + " FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
            }
            db.commit();
            return readings / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * COPY in PostgreSQL's binary format (what the COPY sink sends), one statement, as the ingest role; the
     * rows are encoded by hand here so the figure is the database's, not the sink's.
     */
    private static double copyBinary(StackEndpoints stack, String site, int readings, int tags) throws SQLException, IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(readings * 120);
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.write("PGCOPY\n\377\r\n\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.writeInt(0);
        out.writeInt(0);
        long postgresEpochMicros = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli() * 1000;
        for (int i = 0; i < readings; i++) {
            int tag = i % tags;
            Reading r = reading(site, tag, T0 + (long) (i / tags) * 1000, (i % 1000) / 10.0);
            out.writeShort(11);
            binaryText(out, r.getSite());
            binaryText(out, r.getDevice());
            binaryText(out, r.getTag());
            out.writeInt(8);
            out.writeLong(r.getTs().toEpochMilli() * 1000 - postgresEpochMicros);
            binaryText(out, r.getLine());
            out.writeInt(8);
            out.writeDouble(r.getValue());
            binaryText(out, r.getUnit());
            binaryText(out, "GOOD");
            binaryText(out, "MEASURED");
            out.writeInt(-1);
            binaryText(out, "bench");
        }
        out.writeShort(-1);
        out.flush();
        byte[] data = bytes.toByteArray();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "ingest", stack.rolePassword("ingest"))) {
            db.setAutoCommit(false);
            long start = System.nanoTime();
            db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY telemetry.readings (site, device, tag, ts, line, value, unit, "
                    + "quality, origin, imputation, source) FROM STDIN (FORMAT binary)", new java.io.ByteArrayInputStream(data));
            db.commit();
            return readings / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void binaryText(java.io.DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void vacuum(StackEndpoints stack) throws SQLException {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.postgresSuperuser(), stack.postgresPassword());
             Statement vacuum = db.createStatement()) {
            vacuum.execute("VACUUM telemetry.readings");
        }
    }

    private static void deleteRows(StackEndpoints stack, String site) throws SQLException {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.postgresSuperuser(), stack.postgresPassword());
             PreparedStatement delete = db.prepareStatement("DELETE FROM telemetry.readings WHERE site = ?")) {
            delete.setString(1, site);
            delete.executeUpdate();
        }
    }
}
