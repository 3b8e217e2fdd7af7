package io.tagstream.e2e;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.tagstream.schema.Aggregate;
import io.tagstream.schema.Reading;
import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;

/**
 * The exactly-once run (scripts/e2e-exactly-once): a plant's history served as a CSV export is read by the
 * HTTP source connector (exactly-once source) into telemetry.raw, through the deadband and imputation apps
 * (exactly_once_v2) to telemetry.clean and by the sink into telemetry.readings, while {@link Chaos} kills the
 * Connect worker, the apps and PostgreSQL. Then every sample is checked, in telemetry.raw, telemetry.clean
 * and the table, against values computed from the history itself: present, once, equal.
 *
 * With the aggregation app in the stack, the 1-minute and 1-hour aggregates are checked the same way, in
 * their topics and tables, against statistics computed from the history ({@link WindowCheck}).
 *
 * <p>Options (environment): E2E_READINGS (1,000,000), E2E_DEVICES (100), E2E_TAGS_PER_DEVICE (10),
 * E2E_KILLS (6), E2E_PAUSE_MIN_S (3), E2E_PAUSE_MAX_S (12), E2E_REFUSALS (share of export requests answered
 * 503/429, 0.02), E2E_TIMEOUT_MIN (20), E2E_SEED (random), E2E_GRACE_S (the aggregation app's grace, 30). TAGSTREAM_HOME names the running stack.
 */
public final class ExactlyOnceRun {

    private static final PrintStream OUT = System.out;

    private ExactlyOnceRun() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(required("TAGSTREAM_HOME"));
        Path repo = Path.of(System.getProperty("tagstream.repo", "."));
        long readings = longOption("E2E_READINGS", 1_000_000);
        int devices = (int) longOption("E2E_DEVICES", 100);
        int tags = (int) longOption("E2E_TAGS_PER_DEVICE", 10);
        int kills = (int) longOption("E2E_KILLS", 6);
        Duration pauseMin = Duration.ofSeconds(longOption("E2E_PAUSE_MIN_S", 3));
        Duration pauseMax = Duration.ofSeconds(Math.max(longOption("E2E_PAUSE_MAX_S", 12), pauseMin.toSeconds()));
        double refusals = Double.parseDouble(System.getenv().getOrDefault("E2E_REFUSALS", "0.02"));
        Duration timeout = Duration.ofMinutes(longOption("E2E_TIMEOUT_MIN", 20));
        long seed = longOption("E2E_SEED", System.nanoTime());
        long grace = longOption("E2E_GRACE_S", 30); // the aggregation app's window.grace.ms
        int seconds = (int) (readings / ((long) devices * tags));
        if (seconds < 1 || devices < 1 || devices > 999 || tags < 1) {
            throw new IllegalArgumentException("E2E_READINGS must be at least E2E_DEVICES x E2E_TAGS_PER_DEVICE, devices 1..999");
        }

        StackEndpoints stack = StackEndpoints.read(home);
        String run = UUID.randomUUID().toString().substring(0, 6);
        // history in the past, so the source backfills at full speed, with an hour boundary in its middle, so that
        // one (partial) hour per tag closes and the 1-hour rollup is checked too; minute-aligned
        long boundary = Instant.now().getEpochSecond() / 3600 * 3600 - 3600L * (1 + seconds / 3600);
        long first = boundary - (seconds / 2) / 60 * 60;
        PlantHistory history = new PlantHistory("E2E-" + run, devices, tags, first, seconds);
        List<String> targets = new ArrayList<>();
        for (String component : List.of("connect", "deadband", "imputation", "aggregation", "alerts", "postgres")) {
            if (Chaos.present(home, component)) {
                targets.add(component);
            }
        }
        boolean aggregates = Chaos.present(home, "aggregation");
        WindowCheck minutes = new WindowCheck(history, 60, grace);
        WindowCheck hours = new WindowCheck(history, 3600, grace);
        OUT.printf("e2e-exactly-once: site %s, %,d devices x %d tags x %,d s = %,d readings, history %s .. %s%n",
                history.site(), devices, tags, seconds, history.readings(), Instant.ofEpochSecond(first),
                Instant.ofEpochSecond(history.lastSecond()));
        OUT.printf("  kills: %d, SIGKILL among %s, %d-%d s apart (seed %d); export refuses %.0f %% of requests%n",
                kills, targets, pauseMin.toSeconds(), pauseMax.toSeconds(), seed, refusals * 100);

        String connector = "e2e-" + run;
        Instant started = Instant.now();
        AtomicBoolean allStored = new AtomicBoolean();
        Chaos chaos;
        Thread chaosThread;
        try (PlantExport export = new PlantExport(history, refusals)) {
            register(stack, connector, history, export);
            chaos = new Chaos(home, repo, targets, kills, pauseMin, pauseMax, seed, allStored::get, OUT);
            chaosThread = new Thread(chaos, "chaos");
            chaosThread.start();

            long deadline = System.nanoTime() + timeout.toNanos();
            long stored = 0;
            long storedMinutes = 0;
            long storedHours = 0;
            long lastReport = 0;
            while (System.nanoTime() < deadline) {
                stored = storedRows(stack, "telemetry.readings", history.site(), stored);
                storedMinutes = aggregates ? storedRows(stack, "telemetry.agg_1m", history.site(), storedMinutes) : 0;
                storedHours = aggregates ? storedRows(stack, "telemetry.agg_1h", history.site(), storedHours) : 0;
                boolean complete = stored >= history.readings()
                        && (!aggregates || storedMinutes >= minutes.expectedWindows() && storedHours >= hours.expectedWindows());
                if (complete && !chaosThread.isAlive()) {
                    break;
                }
                if (complete) {
                    allStored.set(true); // no point killing more once everything is in
                }
                if (System.nanoTime() - lastReport > Duration.ofSeconds(15).toNanos()) {
                    OUT.printf("  %s  %,d of %,d readings in telemetry.readings, %,d of %,d 1m and %,d of %,d 1h aggregates;"
                                    + " export: %,d requests (%,d refused), %,d rows%n",
                            Instant.now(), stored, history.readings(), storedMinutes, minutes.expectedWindows(), storedHours,
                            hours.expectedWindows(), export.requests.get(), export.refused.get(), export.rowsServed.get());
                    lastReport = System.nanoTime();
                }
                Thread.sleep(1000);
            }
            allStored.set(true);
            chaosThread.join();
            Duration took = Duration.between(started, Instant.now());
            OUT.printf("  pipeline done or timed out after %d s (%,d rows stored); settling 10 s before checking%n",
                    took.toSeconds(), stored);
            Thread.sleep(10_000);
            JsonHttp.delete(stack.connectUrl() + "/connectors/" + connector);

            OUT.println();
            OUT.println("kills:");
            for (Chaos.Kill kill : chaos.kills()) {
                OUT.printf("  %-12s pid %-7d at %s, back after %.1f s%s%n", kill.component(), kill.pid(), kill.at(),
                        kill.restart().toMillis() / 1000.0, kill.problem() == null ? "" : " (" + kill.problem() + ")");
            }
            OUT.printf("  %d kills; export served %,d requests, refused %,d%n", chaos.kills().size(),
                    export.requests.get(), export.refused.get());

            OUT.println();
            OUT.println("checks against the history (every sample present once, value equal, GOOD, MEASURED):");
            Tally raw = scanTopic(stack, "telemetry.raw", history);
            OUT.println("  telemetry.raw       " + raw.summary());
            Tally clean = scanTopic(stack, "telemetry.clean", history);
            OUT.println("  telemetry.clean     " + clean.summary());
            Tally table = scanTable(stack, history);
            OUT.println("  telemetry.readings  " + table.summary());
            boolean aggregatesOk = true;
            if (aggregates) {
                OUT.printf("aggregates against the history (windows final by the tags' clocks with %d s grace: count, min, max, sum,"
                        + " avg, first, last, stddev, twa):%n", grace);
                WindowCheck minuteTopic = scanAggregateTopic(stack, "telemetry.agg.1m", history, new WindowCheck(history, 60, grace));
                OUT.println("  telemetry.agg.1m    " + minuteTopic.summary());
                scanAggregateTable(stack, "telemetry.agg_1m", history, minutes);
                OUT.println("  telemetry.agg_1m    " + minutes.summary());
                WindowCheck hourTopic = scanAggregateTopic(stack, "telemetry.agg.1h", history, new WindowCheck(history, 3600, grace));
                OUT.println("  telemetry.agg.1h    " + hourTopic.summary());
                scanAggregateTable(stack, "telemetry.agg_1h", history, hours);
                OUT.println("  telemetry.agg_1h    " + hours.summary());
                aggregatesOk = minuteTopic.exact() && minutes.exact() && hourTopic.exact() && hours.exact();
            } else {
                OUT.println("aggregates: not checked (no aggregation app in this stack)");
            }
            boolean killsOk = chaos.kills().stream().allMatch(k -> k.problem() == null);
            boolean ok = raw.exact() && clean.exact() && table.exact() && aggregatesOk && killsOk;
            OUT.println();
            OUT.printf("e2e-exactly-once: %s (%,d readings through source, deadband, imputation%s and sink in %d s with %d kills)%n",
                    ok ? "PASSED" : "FAILED", history.readings(), aggregates ? ", aggregation" : "", took.toSeconds(), chaos.kills().size());
            System.exit(ok ? 0 : 1);
        }
    }

    private static void register(StackEndpoints stack, String connector, PlantHistory history, PlantExport export)
            throws Exception {
        ObjectNode config = JsonHttp.mapper().createObjectNode();
        config.put("connector.class", "io.tagstream.connect.http.HttpSourceConnector");
        config.put("tasks.max", "2");
        config.put("url.template", export.urlTemplate());
        config.put("streams", String.join(",", history.deviceNames()));
        config.put("response.format", "csv");
        config.put("paging", "none");
        config.put("time.field", "time");
        config.put("time.format", "epoch-seconds");
        config.put("site", history.site());
        config.put("device.field", "device");
        List<String> tags = new ArrayList<>();
        for (int t = 0; t < history.tagsPerDevice(); t++) {
            tags.add(PlantHistory.column(t) + ":" + PlantHistory.tag(t));
        }
        config.put("tags", String.join(",", tags));
        config.put("start.time", Instant.ofEpochSecond(history.firstSecond()).toString());
        config.put("time.step.ms", "1000");
        config.put("slice.ms", "300000");
        config.put("availability.lag.ms", "0");
        config.put("poll.interval.ms", "1000");
        config.put("retry.backoff.ms", "200");
        config.put("retry.backoff.max.ms", "2000");
        config.put("topic", "telemetry.raw");
        config.put("dlq.topic", "dlq.http-source");
        config.put("dlq.bootstrap.servers", stack.bootstrapServers());
        config.put("exactly.once.support", "required");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "io.tagstream.connect.registry.RetryingAvroConverter");
        config.put("value.converter.apicurio.registry.url", stack.registryApiUrl());
        config.put("value.converter.apicurio.registry.auto-register", "true");
        config.put("value.converter.apicurio.registry.headers.enabled", "false");
        config.put("value.converter.apicurio.registry.as-confluent", "true");
        config.put("value.converter.apicurio.registry.use-id", "contentId");
        config.put("value.converter.enhanced.avro.schema.support", "true");
        JsonHttp.Response response = JsonHttp.put(stack.connectUrl() + "/connectors/" + connector + "/config",
                JsonHttp.mapper().writeValueAsString(config));
        if (response.status() != 200 && response.status() != 201) {
            throw new IllegalStateException("registering " + connector + ": HTTP " + response.status() + " " + response.body());
        }
        OUT.printf("  registered HTTP source %s (exactly.once.support=required) against %s%n", connector, export.urlTemplate());
    }

    /** Rows of the site in a table; the previous figure while PostgreSQL is down. */
    private static long storedRows(StackEndpoints stack, String table, String site, long previous) {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "viewer", stack.rolePassword("viewer"));
             PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM " + table + " WHERE site = ?")) {
            ps.setString(1, site);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            return previous;
        }
    }

    /** Every reading of the site in the topic, tallied. */
    private static Tally scanTopic(StackEndpoints stack, String topic, PlantHistory history) {
        Tally tally = new Tally(history);
        scanSite(stack, topic, history, (Reading reading) -> tally.add(String.valueOf(reading.getDevice()), String.valueOf(reading.getTag()),
                reading.getTs().toEpochMilli(), reading.getValue(), reading.getQuality().name(), reading.getOrigin().name()));
        return tally;
    }

    private static WindowCheck scanAggregateTopic(StackEndpoints stack, String topic, PlantHistory history, WindowCheck check) {
        scanSite(stack, topic, history, (Aggregate a) -> check.add(String.valueOf(a.getDevice()), String.valueOf(a.getTag()),
                a.getWindowStart().toEpochMilli(), a.getWindowEnd().toEpochMilli(), a.getCount(), a.getImputedCount(), a.getBadCount(),
                a.getMin(), a.getMax(), a.getSum(), a.getAvg(), a.getFirst(), a.getLast(), a.getStddev(), a.getTwa()));
        return check;
    }

    /** Every record of the site in the topic, read_committed, up to the end offsets at the time of the call. */
    private static <T> void scanSite(StackEndpoints stack, String topic, PlantHistory history, java.util.function.Consumer<T> each) {
        Map<String, Object> config = new HashMap<>(stack.avroSerdeConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put("apicurio.registry.use-specific-avro-reader", true);
        String prefix = history.site() + "/";
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
             AvroKafkaDeserializer<T> values = new AvroKafkaDeserializer<>()) {
            values.configure(config, false);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() == null || !record.key().startsWith(prefix) || record.value() == null) {
                        continue;
                    }
                    each.accept(values.deserialize(topic, record.headers(), record.value()));
                }
            }
        }
    }

    private static void scanAggregateTable(StackEndpoints stack, String table, PlantHistory history, WindowCheck check) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "viewer", stack.rolePassword("viewer"));
             PreparedStatement ps = db.prepareStatement("SELECT device, tag, (extract(epoch FROM window_start) * 1000)::bigint,"
                     + " (extract(epoch FROM window_end) * 1000)::bigint, count, imputed_count, bad_count, min, max, sum, avg, first,"
                     + " last, stddev, twa FROM " + table + " WHERE site = ?")) {
            ps.setString(1, history.site());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    check.add(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), (Double) rs.getObject(8), (Double) rs.getObject(9), rs.getDouble(10),
                            (Double) rs.getObject(11), (Double) rs.getObject(12), (Double) rs.getObject(13),
                            (Double) rs.getObject(14), (Double) rs.getObject(15));
                }
            }
        }
    }

    private static Tally scanTable(StackEndpoints stack, PlantHistory history) throws Exception {
        Tally tally = new Tally(history);
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "viewer", stack.rolePassword("viewer"))) {
            db.setAutoCommit(false); // a cursor, not the whole result in memory
            try (PreparedStatement ps = db.prepareStatement("SELECT device, tag, (extract(epoch FROM ts) * 1000)::bigint, value,"
                    + " quality::text, origin::text FROM telemetry.readings WHERE site = ?")) {
                ps.setFetchSize(10_000);
                ps.setString(1, history.site());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double value = rs.getDouble(4);
                        tally.add(rs.getString(1), rs.getString(2), rs.getLong(3), rs.wasNull() ? null : value,
                                rs.getString(5), rs.getString(6));
                    }
                }
            }
        }
        return tally;
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must name the home of a running stack (scripts/tagstream up)");
        }
        return value;
    }

    private static long longOption(String name, long fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a whole number: '" + value + "'");
        }
    }
}
