package io.tagstream.alerts.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import io.tagstream.alerts.AlertSerdes;
import io.tagstream.alerts.AlertsApp;
import io.tagstream.alerts.AlertsConfig;
import io.tagstream.schema.AlertEvent;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;
import io.tagstream.streams.common.StreamsAppRunner.RunningApp;

/**
 * Alert latency under load (scripts/bench-alerts): the alerts app runs in this JVM with exactly_once_v2
 * against a running stack, on topics of its own. A load thread produces background readings (inside their
 * limits) at BENCH_RATE per second; a probe tag crosses its high limit and back every BENCH_PROBE_MS, and
 * the latency of each probe is the time from handing its reading to the producer to reading the alert event
 * (RAISED / CLEARED) with a read_committed consumer. The background rate ramps up during the warm-up; prints
 * p50 / p95 / p99 / max of the measurement that follows, and whether the app kept up.
 */
public final class AlertLatencyBenchmark {

    private AlertLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(env("TAGSTREAM_HOME", ".tagstream"));
        Properties stack = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("stack.properties"))) {
            stack.load(in);
        }
        String bootstrap = "127.0.0.1:" + stack.getProperty("kafka.port");
        String registry = "http://127.0.0.1:" + stack.getProperty("registry.port") + "/apis/registry/v2";
        int rate = Integer.parseInt(env("BENCH_RATE", "50000"));
        int seconds = Integer.parseInt(env("BENCH_SECONDS", "60"));
        int warmup = Integer.parseInt(env("BENCH_WARMUP_SECONDS", "30"));
        int tags = Integer.parseInt(env("BENCH_TAGS", "1000"));
        int partitions = Integer.parseInt(env("BENCH_PARTITIONS", "4"));
        int threads = Integer.parseInt(env("BENCH_THREADS", "1"));
        long probeMs = Long.parseLong(env("BENCH_PROBE_MS", "200"));
        String commitMs = env("BENCH_COMMIT_MS", "100");

        String run = "bench-alerts-" + UUID.randomUUID().toString().substring(0, 8);
        String clean = run + "-clean";
        String events = run + "-events";
        Path work = Files.createTempDirectory(run);
        Path map = work.resolve("address-map.csv");
        writeAddressMap(map, tags);
        createTopics(bootstrap, clean, events, run + "-dlq", run + "-thresholds", partitions);

        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, bootstrap);
        values.put(StreamsAppConfig.REGISTRY_URL, registry);
        values.put(StreamsAppConfig.APPLICATION_ID, run);
        values.put(StreamsAppConfig.INPUT_TOPIC, clean);
        values.put(StreamsAppConfig.OUTPUT_TOPIC, events);
        values.put(StreamsAppConfig.DLQ_TOPIC, run + "-dlq");
        values.put(StreamsAppConfig.STATE_DIR, work.resolve("state").toString());
        values.put(StreamsAppConfig.ADDRESS_MAP_PATH, map.toString());
        values.put(StreamsAppConfig.NUM_STREAM_THREADS, String.valueOf(threads));
        values.put(StreamsAppConfig.COMMIT_INTERVAL_MS, commitMs);
        values.put(AlertsConfig.THRESHOLDS_TOPIC, run + "-thresholds"); // empty: the address map's limits apply
        values.put("streams.consumer.auto.offset.reset", "earliest");
        AlertsConfig config = new AlertsConfig(values);
        AppMetrics metrics = new AppMetrics();

        System.out.printf(Locale.ROOT, "alerts latency benchmark: %d readings/s background over %d tags, %d partitions, "
                        + "%d stream thread(s), commit.interval.ms=%s, exactly_once_v2, probe every %d ms, %d s (+%d s warm-up)%n",
                rate, tags, partitions, threads, commitMs, probeMs, seconds, warmup);
        Serde<Reading> readings = ReadingSerdes.reading(registry);
        Serde<AlertEvent> alertSerde = AlertSerdes.alertEvent(registry);
        Map<Long, Long> probesSent = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<long[]> timeline = Collections.synchronizedList(new ArrayList<>()); // {nanoTime read, latency ms}
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong backgroundSent = new AtomicLong();

        try (RunningApp app = StreamsAppRunner.start("bench-alerts", config, AlertsApp.topology(config, metrics), metrics)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (app.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread consumer = new Thread(() -> consume(bootstrap, events, alertSerde, probesSent, latencies, timeline, measuring, stop),
                    "bench-consumer");
            consumer.start();
            Thread load = new Thread(() -> background(bootstrap, clean, readings, tags, rate, warmup, backgroundSent, stop),
                    "bench-load");
            load.start();
            Thread probe = new Thread(() -> probe(bootstrap, clean, readings, probeMs, probesSent, stop), "bench-probe");
            probe.start();

            Thread.sleep(warmup * 1000L);
            measuring.set(true);
            long inBefore = metrics.recordsIn();
            long sentBefore = backgroundSent.get();
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long inAfter = metrics.recordsIn();
            long sentAfter = backgroundSent.get();
            long backlog = sentAfter - inAfter;
            measuring.set(false);
            stop.set(true);
            load.join();
            probe.join();
            consumer.join();

            List<Long> sorted;
            synchronized (latencies) {
                sorted = new ArrayList<>(latencies);
            }
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "background produced: %.0f readings/s; app consumed: %.0f readings/s; "
                            + "backlog at the end: about %d readings%n",
                    (sentAfter - sentBefore) / elapsed, (inAfter - inBefore) / elapsed, Math.max(0, backlog));
            if (sorted.isEmpty()) {
                System.out.println("no probe alert was read during the measurement: the app did not keep up");
            } else {
                System.out.printf(Locale.ROOT, "alert latency over %d probe transitions (ms): p50 %d  p95 %d  p99 %d  max %d%n",
                        sorted.size(), percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                        sorted.get(sorted.size() - 1));
                System.out.printf(Locale.ROOT, "target p99 < 500 ms: %s%n", percentile(sorted, 99) < 500 ? "met" : "NOT met");
            }
            System.out.printf(Locale.ROOT, "probes sent but not seen: %d (in flight at the end)%n", probesSent.size());
            // where the time went: latency per 10 s of the measurement
            StringBuilder windows = new StringBuilder("p50 / max per 10 s (ms):");
            synchronized (timeline) {
                for (long from = 0; from < seconds; from += 10) {
                    List<Long> window = new ArrayList<>();
                    for (long[] point : timeline) {
                        long second = (point[0] - start) / 1_000_000_000L;
                        if (second >= from && second < from + 10) {
                            window.add(point[1]);
                        }
                    }
                    Collections.sort(window);
                    windows.append(window.isEmpty() ? "  -" : String.format(Locale.ROOT, "  %d/%d", percentile(window, 50),
                            window.get(window.size() - 1)));
                }
            }
            System.out.println(windows);
        } finally {
            deleteTopics(bootstrap, run);
            deleteRecursively(work);
        }
    }

    /**
     * Background readings at {@code rate}/s, round robin over the tags, each newer than the tag's last one. The
     * bytes are the registry serializer's output for each tag with the time and value patched in, so the load
     * generator leaves the CPU to the app and the broker.
     */
    private static void background(String bootstrap, String topic, Serde<Reading> serde, int tags, int rate, int rampSeconds,
                                   AtomicLong sent, AtomicBoolean stop) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        String[] keys = new String[tags];
        byte[][] templates = new byte[tags][];
        int[] valueAt = new int[tags];
        long[] lastTs = new long[tags];
        long ts0 = System.currentTimeMillis();
        double marker = 12345.678901;
        int tsBytes = varintLength(zigzag(ts0));
        for (int i = 0; i < tags; i++) {
            keys[i] = "BENCH/" + device(i) + "/VALUE";
            templates[i] = serde.serializer().serialize(topic, reading(ts0, device(i), marker));
            valueAt[i] = indexOf(templates[i], Double.doubleToLongBits(marker));
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            long start = System.nanoTime();
            long count = 0;
            while (!stop.get()) {
                // ramp up linearly during the warm-up (the JIT warms up without a backlog building), then the full rate
                double t = (System.nanoTime() - start) / 1e9;
                long due = (long) (t < rampSeconds ? rate * t * t / (2.0 * rampSeconds) : rate * (t - rampSeconds / 2.0));
                if (count >= due) {
                    Thread.sleep(1);
                    continue;
                }
                long now = System.currentTimeMillis();
                for (long n = Math.min(due - count, 5000); n > 0; n--, count++) {
                    int tag = (int) (count % tags);
                    long ts = Math.max(now, lastTs[tag] + 1);
                    lastTs[tag] = ts;
                    byte[] value = templates[tag].clone();
                    if (varintLength(zigzag(ts)) != tsBytes) {
                        throw new IllegalStateException("timestamp encoding changed length");
                    }
                    writeVarint(value, 5, zigzag(ts)); // after magic byte and content id
                    writeLittleEndian(value, valueAt[tag], Double.doubleToLongBits(10.0 + (count % 80))); // inside 0..100
                    producer.send(new ProducerRecord<>(topic, null, ts, keys[tag], value));
                }
                sent.set(count);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static int varintLength(long value) {
        int length = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    private static void writeVarint(byte[] bytes, int offset, long value) {
        while ((value & ~0x7FL) != 0) {
            bytes[offset++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[offset] = (byte) value;
    }

    private static void writeLittleEndian(byte[] bytes, int offset, long bits) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (bits >>> (8 * i));
        }
    }

    private static int indexOf(byte[] bytes, long bits) {
        byte[] pattern = new byte[8];
        writeLittleEndian(pattern, 0, bits);
        for (int i = 0; i + 8 <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + 8, pattern, 0, 8)) {
                return i;
            }
        }
        throw new IllegalStateException("value not found in the serialized reading");
    }

    private static void probe(String bootstrap, String topic, Serde<Reading> serde, long everyMs, Map<Long, Long> sent,
                              AtomicBoolean stop) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, Reading> producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            boolean high = false;
            long last = 0;
            while (!stop.get()) {
                Thread.sleep(everyMs);
                high = !high;
                long ts = Math.max(System.currentTimeMillis(), last + 1);
                last = ts;
                // crossing the limit each time: RAISED above hi 100, CLEARED back at 50
                Reading reading = reading(ts, "PROBE", high ? 150.0 : 50.0);
                sent.put(ts, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, null, ts, "BENCH/PROBE/VALUE", reading));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consume(String bootstrap, String topic, Serde<AlertEvent> serde, Map<Long, Long> sent,
                                List<Long> latencies, List<long[]> timeline, AtomicBoolean measuring, AtomicBoolean stop) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        try (KafkaConsumer<String, AlertEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<String, AlertEvent> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    Long sentAt = sent.remove(record.value().getTs().toEpochMilli());
                    if (sentAt != null && "PROBE".equals(record.value().getDevice()) && measuring.get()) {
                        latencies.add((now - sentAt) / 1_000_000);
                        timeline.add(new long[] {now, (now - sentAt) / 1_000_000});
                    }
                }
            }
        }
    }

    private static Reading reading(long ts, String device, double value) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("BENCH").setLine("L1").setDevice(device)
                .setTag("VALUE").setValue(value).setUnit("u").setQuality(Quality.GOOD).setOrigin(Origin.MEASURED)
                .setImputation(null).setSource("bench").build();
    }

    private static String device(int i) {
        return "DEV" + i;
    }

    /** Every background tag and the probe with hi 100 / lo 0, so each reading is checked against limits. */
    private static void writeAddressMap(Path file, int tags) throws IOException {
        StringBuilder csv = new StringBuilder("site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo\n");
        for (int i = 0; i < tags; i++) {
            csv.append("BENCH,L1,").append(device(i)).append(",VALUE,modbus,tcp://127.0.0.1:502,1,40001,FLOAT32,1,0,1000,u,100,0\n");
        }
        csv.append("BENCH,L1,PROBE,VALUE,modbus,tcp://127.0.0.1:502,1,40001,FLOAT32,1,0,1000,u,100,0\n");
        Files.writeString(file, csv);
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static void createTopics(String bootstrap, String clean, String events, String dlq, String thresholds,
                                     int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(clean, partitions, (short) 1), new NewTopic(events, partitions, (short) 1),
                    new NewTopic(dlq, 1, (short) 1), new NewTopic(thresholds, 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
    }

    private static void deleteTopics(String bootstrap, String prefix) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> ours = new HashSet<>();
            for (String topic : admin.listTopics().names().get()) {
                if (topic.startsWith(prefix)) {
                    ours.add(topic);
                }
            }
            admin.deleteTopics(ours).all().get();
        } catch (Exception e) {
            System.err.println("could not delete the benchmark topics " + prefix + "-*: " + e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
