package io.tagstream.streams.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

import io.tagstream.aggregation.AggregationApp;
import io.tagstream.aggregation.AggregationConfig;
import io.tagstream.aggregation.AggregationMetrics;
import io.tagstream.aggregation.AggregationRunner;
import io.tagstream.aggregation.AggregationTopology;
import io.tagstream.deadband.DeadbandConfig;
import io.tagstream.deadband.DeadbandTopology;
import io.tagstream.deadband.TagDeadbands;
import io.tagstream.imputation.ImputationConfig;
import io.tagstream.imputation.ImputationTopology;
import io.tagstream.imputation.TagGapSettings;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;
import io.tagstream.streams.common.StreamsAppRunner.RunningApp;

/**
 * Pushes N readings for T tags through the deadband app, then its output through the imputation app, on the
 * broker and registry of a running local stack, and prints records/s per app and the suppression ratio.
 *
 * <p>Each run uses its own topics and application ids (nothing of the stack's telemetry.* topics is
 * touched) and deletes its topics, changelogs and local state at the end. The input is written completely first, so each app's figure is its own processing rate
 * (exactly_once_v2, Avro through the registry, RocksDB state), measured from its first processed record to
 * its last. Tags are sampled once a second, round-robin like a poller: a slow sine plus noise, so most
 * samples stay inside a 0.5 deadband; every tenth tag has a 5-minute outage for the imputation app to fill.
 *
 * <p>With {@code BENCH_MODE=aggregation} (scripts/bench-aggregation) the same readings go through the
 * aggregation app instead (as if they were telemetry.clean): 1-minute and 1-hour windows, 30 s grace; the
 * samples start 15 minutes before an hour boundary, so every tag's minutes and one hour of it close.
 *
 * <p>Environment: TAGSTREAM_HOME (the stack), BENCH_MODE (pipeline | aggregation), BENCH_READINGS (1000000),
 * BENCH_TAGS (1000), BENCH_THREADS (stream threads per app, 1), BENCH_COMMIT_MS (commit.interval.ms, 100 like
 * the apps' default).
 */
public final class StreamsBenchmark {

    private static final int PARTITIONS = 6;
    private static final long PERIOD_MS = 1000;
    private static final int OUTAGE_START = 500;
    private static final int OUTAGE_SAMPLES = 300;

    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path home = Path.of(env.getOrDefault("TAGSTREAM_HOME", ".tagstream")).toAbsolutePath();
        long total = Long.parseLong(env.getOrDefault("BENCH_READINGS", "1000000"));
        int tags = Integer.parseInt(env.getOrDefault("BENCH_TAGS", "1000"));
        int threads = Integer.parseInt(env.getOrDefault("BENCH_THREADS", "1"));
        String commitMs = env.getOrDefault("BENCH_COMMIT_MS", "100");
        StackEndpoints stack = StackEndpoints.read(home);
        String mode = env.getOrDefault("BENCH_MODE", "pipeline");
        if ("aggregation".equals(mode)) {
            aggregation(home, stack, total, tags, threads, commitMs);
            return;
        }
        if (!"pipeline".equals(mode)) {
            throw new IllegalArgumentException("BENCH_MODE must be pipeline or aggregation, not " + mode);
        }

        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String raw = run + "-raw";
        String deadbanded = run + "-deadband";
        String clean = run + "-clean";
        String dlq = run + "-dlq";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : List.of(raw, deadbanded, clean)) {
                topics.add(new NewTopic(topic, PARTITIONS, (short) 1));
            }
            topics.add(new NewTopic(dlq, 1, (short) 1));
            admin.createTopics(topics).all().get();
        }
        Serde<Reading> serde = ReadingSerdes.reading(stack.registryApiUrl());
        System.out.printf(Locale.ROOT, "stack %s, run %s: %,d readings for %,d tags, %d partitions, %d stream thread(s) per app, "
                + "commit.interval.ms %s, %d cores, load average %s%n", home, run, total, tags, PARTITIONS, threads, commitMs,
                Runtime.getRuntime().availableProcessors(), load());

        long produceStart = System.nanoTime();
        long produced = produce(stack, serde, raw, total, tags);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        System.out.printf(Locale.ROOT, "produced   %,d readings in %.1f s (%,.0f/s, Avro through the registry)%n",
                produced, produceSeconds, produced / produceSeconds);

        Path stateDir = Files.createTempDirectory(run);
        Map<String, Object> common = new HashMap<>();
        common.put(StreamsAppConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        common.put(StreamsAppConfig.REGISTRY_URL, stack.registryApiUrl());
        common.put(StreamsAppConfig.DLQ_TOPIC, dlq);
        common.put(StreamsAppConfig.ADDRESS_MAP_PATH, "");
        common.put(StreamsAppConfig.NUM_STREAM_THREADS, Integer.toString(threads));
        common.put(StreamsAppConfig.COMMIT_INTERVAL_MS, commitMs);
        common.put("streams.consumer.auto.offset.reset", "earliest");

        Map<String, Object> deadbandValues = new HashMap<>(common);
        deadbandValues.put(StreamsAppConfig.APPLICATION_ID, run + "-deadband");
        deadbandValues.put(StreamsAppConfig.INPUT_TOPIC, raw);
        deadbandValues.put(StreamsAppConfig.OUTPUT_TOPIC, deadbanded);
        deadbandValues.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("deadband").toString());
        deadbandValues.put(DeadbandConfig.DEFAULT_WIDTH, "0.5");
        DeadbandConfig deadbandConfig = new DeadbandConfig(deadbandValues);
        AppMetrics deadbandMetrics = new AppMetrics();
        Result deadband = measure("deadband", deadbandConfig, DeadbandTopology.build(raw, deadbanded, serde,
                new TagDeadbands(Optional.empty(), deadbandConfig), deadbandMetrics), deadbandMetrics, produced);
        System.out.printf(Locale.ROOT, "deadband   %,d in -> %,d out in %.1f s: %,.0f readings/s, suppression ratio %.3f "
                        + "(%,d suppressed, %,d out of order, %,d dead-lettered); %.1f CPU-us/reading, load %s%n",
                deadband.in, deadband.out, deadband.seconds, deadband.perSecond(),
                deadbandMetrics.suppressionRatio(), deadbandMetrics.suppressedCount(), deadbandMetrics.outOfOrderCount(),
                deadbandMetrics.deadLetteredCount(), deadband.cpuMicrosPerRecord(), load());

        Map<String, Object> imputationValues = new HashMap<>(common);
        imputationValues.put(StreamsAppConfig.APPLICATION_ID, run + "-imputation");
        imputationValues.put(StreamsAppConfig.INPUT_TOPIC, deadbanded);
        imputationValues.put(StreamsAppConfig.OUTPUT_TOPIC, clean);
        imputationValues.put(StreamsAppConfig.STATE_DIR, stateDir.resolve("imputation").toString());
        ImputationConfig imputationConfig = new ImputationConfig(imputationValues);
        AppMetrics imputationMetrics = new AppMetrics();
        Result imputation = measure("imputation", imputationConfig, ImputationTopology.build(deadbanded, clean, serde,
                new TagGapSettings(Optional.empty(), imputationConfig), imputationMetrics), imputationMetrics, deadband.out);
        System.out.printf(Locale.ROOT, "imputation %,d in -> %,d out in %.1f s: %,.0f readings/s (%,d imputed, %,d gaps left "
                        + "open); %.1f CPU-us/reading, load %s%n",
                imputation.in, imputation.out, imputation.seconds, imputation.perSecond(),
                imputationMetrics.imputedCount(), imputationMetrics.gapsLeftOpenCount(), imputation.cpuMicrosPerRecord(), load());
        System.out.printf(Locale.ROOT, "pipeline   %,d raw readings -> %,d clean readings%n", produced, imputation.out);

        // leave the stack as it was: this run's topics, changelogs and local state go
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.deleteTopics(List.of(raw, deadbanded, clean, dlq,
                    run + "-deadband-" + DeadbandTopology.STORE + "-changelog",
                    run + "-imputation-" + ImputationTopology.STORE + "-changelog")).all().get();
        }
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /**
     * The aggregation app over N readings written to a topic of their own (standing in for telemetry.clean):
     * readings/s from its first processed record to its last, aggregates written, late readings.
     */
    private static void aggregation(Path home, StackEndpoints stack, long total, int tags, int threads, String commitMs)
            throws Exception {
        String run = "bench-agg-" + UUID.randomUUID().toString().substring(0, 8);
        String clean = run + "-clean";
        String minutes = run + "-agg-1m";
        String hours = run + "-agg-1h";
        String late = run + "-late";
        String dlq = run + "-dlq";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : List.of(clean, minutes, hours)) {
                topics.add(new NewTopic(topic, PARTITIONS, (short) 1));
            }
            topics.add(new NewTopic(late, 1, (short) 1));
            topics.add(new NewTopic(dlq, 1, (short) 1));
            admin.createTopics(topics).all().get();
        }
        Serde<Reading> serde = ReadingSerdes.reading(stack.registryApiUrl());
        System.out.printf(Locale.ROOT, "stack %s, run %s: aggregation of %,d readings for %,d tags, %d partitions, "
                        + "%d stream thread(s), commit.interval.ms %s, %d cores, load average %s%n", home, run, total, tags,
                PARTITIONS, threads, commitMs, Runtime.getRuntime().availableProcessors(), load());
        long produceStart = System.nanoTime();
        // 15 minutes before an hour boundary, so the run closes an hour of every tag as well as its minutes
        long hour = 3_600_000L;
        long t0 = (Instant.now().toEpochMilli() / hour - 3) * hour - 15 * 60_000L;
        long produced = produce(stack, serde, clean, total, tags, t0);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        System.out.printf(Locale.ROOT, "produced    %,d readings in %.1f s (%,.0f/s, Avro through the registry)%n",
                produced, produceSeconds, produced / produceSeconds);

        Path stateDir = Files.createTempDirectory(run);
        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        values.put(StreamsAppConfig.REGISTRY_URL, stack.registryApiUrl());
        values.put(StreamsAppConfig.APPLICATION_ID, run + "-aggregation");
        values.put(StreamsAppConfig.INPUT_TOPIC, clean);
        values.put(StreamsAppConfig.OUTPUT_TOPIC, minutes);
        values.put(AggregationConfig.HOUR_OUTPUT_TOPIC, hours);
        values.put(AggregationConfig.LATE_TOPIC, late);
        values.put(StreamsAppConfig.DLQ_TOPIC, dlq);
        values.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        values.put(StreamsAppConfig.NUM_STREAM_THREADS, Integer.toString(threads));
        values.put(StreamsAppConfig.COMMIT_INTERVAL_MS, commitMs);
        values.put("streams.consumer.auto.offset.reset", "earliest");
        AggregationConfig config = new AggregationConfig(values);
        AggregationMetrics metrics = new AggregationMetrics();
        Result result;
        try (StreamsAppRunner.RunningApp app = AggregationRunner.start("aggregation", config,
                AggregationApp.topology(config, metrics), metrics)) {
            result = await("aggregation", app::state, metrics::recordsIn, () -> metrics.app().recordsOut(), produced);
        }
        System.out.printf(Locale.ROOT, "aggregation %,d in -> %,d 1-minute + %,d 1-hour aggregates in %.1f s: %,.0f readings/s "
                        + "(%,d late, %,d dead-lettered); %.1f CPU-us/reading, load %s%n",
                result.in, metrics.minuteAggregateCount(), metrics.hourAggregateCount(), result.seconds, result.perSecond(),
                metrics.lateCount(), metrics.deadLetteredCount(), result.cpuMicrosPerRecord(), load());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.deleteTopics(List.of(clean, minutes, hours, late, dlq,
                    run + "-aggregation-" + AggregationTopology.STORE + "-changelog",
                    run + "-aggregation-" + AggregationTopology.STREAM_TIME_STORE + "-changelog")).all().get();
        }
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /**
     * @param cpuSeconds CPU time of this process during the run (the app's stream threads, their producers
     *                   and consumers, GC); with other processes on the machine it says what the app would
     *                   need on cores of its own
     */
    private record Result(long in, long out, double seconds, double cpuSeconds) {
        double perSecond() {
            return in / seconds;
        }

        double cpuMicrosPerRecord() {
            return cpuSeconds * 1e6 / in;
        }
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static String load() {
        return String.format(Locale.ROOT, "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    /** Runs one app until it has processed {@code expected} records; the rate is from its first record to its last. */
    private static Result measure(String name, StreamsAppConfig config, Topology topology, AppMetrics metrics, long expected)
            throws Exception {
        try (RunningApp app = StreamsAppRunner.start(name, config, topology, metrics)) {
            return await(name, app::state, metrics::recordsIn, metrics::recordsOut, expected);
        }
    }

    private static Result await(String name, java.util.function.Supplier<KafkaStreams.State> state,
                                java.util.function.LongSupplier recordsIn, java.util.function.LongSupplier recordsOut,
                                long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long first = 0;
        double firstCpu = 0;
        while (recordsIn.getAsLong() < expected) {
            if (first == 0 && recordsIn.getAsLong() > 0) {
                first = System.nanoTime();
                firstCpu = processCpuSeconds();
            }
            if (state.get() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " stopped at " + recordsIn.getAsLong() + " of " + expected
                        + " records, state " + state.get());
            }
            Thread.sleep(first == 0 ? 5 : 20);
        }
        double seconds = (System.nanoTime() - first) / 1e9;
        return new Result(recordsIn.getAsLong(), recordsOut.getAsLong(), seconds, processCpuSeconds() - firstCpu);
    }

    private static long produce(StackEndpoints stack, Serde<Reading> serde, String topic, long total, int tags)
            throws Exception {
        return produce(stack, serde, topic, total, tags, (Instant.now().toEpochMilli() / 1000) * 1000 - 3 * 3_600_000L);
    }

    /** @param t0 time of the first sample of each tag */
    private static long produce(StackEndpoints stack, Serde<Reading> serde, String topic, long total, int tags, long t0)
            throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        Random random = new Random(42);
        long perTag = total / tags;
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        try (KafkaProducer<String, Reading> producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            String[] keys = new String[tags];
            for (int t = 0; t < tags; t++) {
                keys[t] = "BENCH/DEV" + (t / 10) + "/TAG" + t;
            }
            long steps = perTag + OUTAGE_SAMPLES; // outage tags skip OUTAGE_SAMPLES steps but still send perTag samples
            for (long step = 0; step < steps && sent < total; step++) {
                long ts = t0 + step * PERIOD_MS;
                for (int t = 0; t < tags && sent < total; t++) {
                    boolean outageTag = t % 10 == 0;
                    long index = outageTag && step >= OUTAGE_START ? step - OUTAGE_SAMPLES : step;
                    if (outageTag && step >= OUTAGE_START && step < OUTAGE_START + OUTAGE_SAMPLES) {
                        continue; // the device is offline
                    }
                    if (index >= perTag) {
                        continue;
                    }
                    double value = 50 + 10 * Math.sin(2 * Math.PI * (step + t) / 600.0) + random.nextGaussian() * 0.05;
                    Reading reading = Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("BENCH").setLine("L1")
                            .setDevice("DEV" + (t / 10)).setTag("TAG" + t).setValue(value).setUnit("bar")
                            .setQuality(Quality.GOOD).setOrigin(Origin.MEASURED).setImputation(null).setSource("bench")
                            .build();
                    producer.send(new ProducerRecord<>(topic, null, ts, keys[t], reading), (metadata, exception) -> {
                        if (exception != null) {
                            failure.compareAndSet(null, exception);
                        }
                    });
                    sent++;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return sent;
    }
}
