package io.tagstream.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.connect.http.core.KmaAsosPreset;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.simulator.weather.AsosObservations;
import io.tagstream.simulator.weather.WeatherApiSimulator;
import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.LocalStack;
import io.tagstream.stack.StackConfig;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.ConnectRest;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * The connector in the stack's real Connect worker, registered over REST, against the weather API simulator:
 * a 3-day backfill in slices and pages, with 429s, a 500, and error payloads (truncated JSON, HTML, XML)
 * on the way, and the worker killed (SIGKILL) and started again mid-backfill. Every hour of every station
 * must arrive exactly once with exactly the simulator's values, readable as io.tagstream.schema.Reading;
 * the error payloads must be on the dead-letter topic with their reasons.
 */
class KmaAsosConnectorIT {

    private static final List<String> STATIONS = List.of("108", "112");

    private final StackEndpoints stack = SharedStack.get();
    private final StackKafka kafka = new StackKafka(stack);
    private final ConnectRest connect = new ConnectRest(stack);
    private final String id = TestIds.next();
    private final String connector = "it-kma-" + id;
    private final String topic = "it.http.raw." + id;
    private final String dlq = "it.http.dlq." + id;
    private WeatherApiSimulator simulator;

    @AfterEach
    void cleanUp() throws Exception {
        connect.delete(connector);
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void backfillsThreeDaysThroughFaultsAndAWorkerKillExactlyOnce() throws Exception {
        String key = "it-key/" + id + "+=";
        simulator = new WeatherApiSimulator(0, key, Set.copyOf(STATIONS), 9, Duration.ofMillis(700),
                java.time.Clock.systemUTC());
        simulator.inject(WeatherApiSimulator.Fault.SERVER_ERROR);
        simulator.inject(WeatherApiSimulator.Fault.TRUNCATED_JSON);
        simulator.inject(WeatherApiSimulator.Fault.HTML_MAINTENANCE);
        simulator.inject(WeatherApiSimulator.Fault.XML_ERROR);

        // the secret only ever travels as a config provider reference
        Path secrets = stack.home().resolve("it-http-source").resolve(id + ".properties");
        Files.createDirectories(secrets.getParent());
        Properties properties = new Properties();
        properties.setProperty("serviceKey", key);
        try (var out = Files.newOutputStream(secrets)) {
            properties.store(out, "integration test service key");
        }
        kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(dlq, 1, (short) 1)));

        Instant lastHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant firstHour = lastHour.minus(Duration.ofHours(72));
        ObjectNode config = connect.sourceConverters(ConnectRest.config(HttpSourceConnector.class.getName()));
        config.put("tasks.max", "1");
        config.put("preset", KmaAsosPreset.NAME);
        config.put("api.base.url", simulator.baseUrl());
        config.put("auth.secret", "${file:" + secrets + ":serviceKey}");
        config.put("streams", String.join(",", STATIONS));
        config.put("site", "IT-" + id);
        config.put("start.time", firstHour.toString());
        config.put("page.size", "10");
        config.put("availability.lag.ms", "0");
        config.put("poll.interval.ms", "2000");
        config.put("retry.backoff.ms", "200");
        config.put("error.retry.ms", "300");
        config.put("topic", topic);
        config.put("dlq.topic", dlq);
        config.put("dlq.bootstrap.servers", stack.bootstrapServers());
        connect.put(connector, config);

        int expected = 73 * STATIONS.size() * 10;
        List<ConsumerRecord<String, Reading>> records = new ArrayList<>();
        try (KafkaConsumer<String, Reading> consumer = kafka.consumer(new StringDeserializer(), kafka.<Reading>avroDeserializer())) {
            consumer.subscribe(List.of(topic));
            // kill the worker once the first pages are in, well before the backfill can be done
            StackKafka.pollUntil(consumer, records, 1, Duration.ofSeconds(60));
            assertThat(records.size()).as("mid-backfill").isLessThan(expected / 2);
            killAndRestartWorker();
            StackKafka.pollUntil(consumer, records, expected, Duration.ofSeconds(90));
            // the connector keeps running, caught up: nothing more may arrive
            StackKafka.pollUntil(consumer, records, expected + 1, Duration.ofSeconds(5));
        }

        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, Reading> record : records) {
            Reading reading = record.value();
            assertThat(seen.add(record.key() + "@" + reading.getTs().toEpochMilli()))
                    .as("duplicate %s at %s", record.key(), reading.getTs()).isTrue();
            assertThat(record.key()).isEqualTo(reading.getSite() + "/" + reading.getDevice() + "/" + reading.getTag());
            assertThat(reading.getSource()).isEqualTo(connector);
            String element = element(reading.getTag());
            String sent = AsosObservations.row(reading.getDevice(), reading.getTs()).get(element);
            if (sent.isEmpty()) {
                assertThat(reading.getValue()).as("%s missing", record.key()).isNull();
                assertThat(reading.getQuality()).isEqualTo(Quality.BAD);
            } else {
                assertThat(reading.getValue()).as(record.key() + " at " + reading.getTs()).isEqualTo(Double.parseDouble(sent));
                assertThat(reading.getQuality()).isEqualTo(Quality.GOOD);
            }
        }
        assertThat(records).hasSize(expected);
        for (String station : STATIONS) {
            for (Instant h = firstHour; !h.isAfter(lastHour); h = h.plus(Duration.ofHours(1))) {
                assertThat(seen).contains("IT-" + id + "/" + station + "/air_temp@" + h.toEpochMilli());
            }
        }
        assertThat(records).anyMatch(r -> r.value().getValue() == null).anyMatch(r -> r.value().getValue() != null);

        // error payloads: on the dead-letter topic with reasons; the service key never in a header
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readUpTo(dlq, 3, Duration.ofSeconds(20));
        assertThat(dead).extracting(r -> StackKafka.header(r, DeadLetters.REASON))
                .anyMatch(reason -> reason.startsWith("malformed or truncated JSON"))
                .anyMatch(reason -> reason.startsWith("HTML page instead of JSON"))
                .anyMatch(reason -> reason.contains("LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"));
        assertThat(dead).allSatisfy(r -> {
            assertThat(StackKafka.header(r, DeadLetters.URL)).contains("serviceKey=***").doesNotContain(id);
            assertThat(StackKafka.header(r, DeadLetters.CONNECTOR)).isEqualTo(connector);
        });
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isNotEmpty();
        assertThat(simulator.log()).anyMatch(line -> line.startsWith("TOO_MANY_REQUESTS"))
                .anyMatch(line -> line.startsWith("SERVER_ERROR"));

        JsonNode status = connect.status(connector);
        assertThat(status.path("tasks").path(0).path("state").asText()).as("%s", status).isEqualTo("RUNNING");
        JsonHttp.Response stored = JsonHttp.get(connect.url("/connectors/" + connector + "/config"));
        assertThat(stored.body()).as("the stored config keeps the reference, not the key").doesNotContain(id + "+=");

        // what the converter registered can replace the Reading contract under BACKWARD compatibility, and back
        JsonHttp.Response latest = JsonHttp.get(stack.confluentCompatibleUrl() + "/subjects/" + topic + "-value/versions/latest");
        assertThat(latest.status()).as(latest.body()).isEqualTo(200);
        org.apache.avro.Schema written = new org.apache.avro.Schema.Parser().parse(latest.json().path("schema").asText());
        assertThat(written.getFullName()).isEqualTo("io.tagstream.schema.Reading");
        assertThat(org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(written, Reading.getClassSchema()).getType())
                .isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(Reading.getClassSchema(), written).getType())
                .isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    /**
     * connectors/config/kma-asos-demo.json as the stack registers it, with the simulator file it references
     * replaced by this test's (same keys), and a per-test topic: weather must flow from it as it is.
     */
    @Test
    void demoConfigOfTheLocalStackIngests() throws Exception {
        String key = "demo-" + id;
        simulator = new WeatherApiSimulator(0, key, Set.of("108", "112", "159"), 0, Duration.ZERO, java.time.Clock.systemUTC());
        Path file = stack.home().resolve("it-http-source").resolve("demo-" + id + ".properties");
        Files.createDirectories(file.getParent());
        Properties properties = new Properties();
        properties.setProperty("serviceKey", key);
        properties.setProperty("baseUrl", simulator.baseUrl());
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, "demo config test");
        }
        Path demo = SharedStack.findRepo().resolve("connectors/config/kma-asos-demo.json");
        String text = Files.readString(demo).replace("{{home}}/weather-api/weather-api.properties", file.toString());
        Path rewritten = file.resolveSibling("kma-asos-demo-" + id + ".json");
        Files.writeString(rewritten, text);
        ObjectNode root = io.tagstream.stack.ConnectorConfigs.read(rewritten, stack, SharedStack.findRepo());
        assertThat(root.path("name").asText()).isEqualTo("kma-asos-demo");
        ObjectNode config = (ObjectNode) root.path("config");
        assertThat(config.path("auth.secret").asText()).startsWith("${file:");
        config.put("topic", topic);
        config.put("dlq.topic", dlq);
        // the demo starts one slice (a day) back; that is what must arrive: 24 or 25 hours x 3 stations x 10 tags
        kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(dlq, 1, (short) 1)));
        JsonHttp.Response created = JsonHttp.put(stack.connectUrl() + "/connectors/" + connector + "/config",
                JsonHttp.mapper().writeValueAsString(config));
        assertThat(created.status()).as(created.body()).isIn(200, 201);
        List<ConsumerRecord<String, Reading>> records = new ArrayList<>();
        try (KafkaConsumer<String, Reading> consumer = kafka.consumer(new StringDeserializer(), kafka.<Reading>avroDeserializer())) {
            consumer.subscribe(List.of(topic));
            StackKafka.pollUntil(consumer, records, 24 * 3 * 10, Duration.ofSeconds(60));
        }
        assertThat(records.size()).isGreaterThanOrEqualTo(24 * 3 * 10);
        assertThat(records).extracting(r -> r.value().getDevice()).containsOnly("108", "112", "159");
        assertThat(records).extracting(r -> r.value().getSite()).containsOnly("KMA");
        assertThat(records).extracting(r -> r.value().getSource()).containsOnly(connector);
    }

    private void killAndRestartWorker() throws Exception {
        Path pidFile = stack.home().resolve("run").resolve("connect.pid");
        List<String> lines = Files.readAllLines(pidFile);
        long pid = Long.parseLong(lines.get(0).trim());
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        assertThat(worker.info().commandLine().orElse("")).contains(lines.get(1).trim());
        worker.destroyForcibly();
        worker.onExit().get(30, TimeUnit.SECONDS);
        Map<String, String> overrides = new HashMap<>();
        overrides.put(StackConfig.HOME, stack.home().toString());
        overrides.put(StackConfig.PROFILE, StackConfig.PROFILE_INFRASTRUCTURE);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalStack.create(StackConfig.from(System.getenv(), overrides), SharedStack.findRepo())
                .up(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private static String element(String tag) {
        for (String spec : KmaAsosPreset.TAGS) {
            String[] parts = spec.split(":");
            if (parts[1].equals(tag)) {
                return parts[0];
            }
        }
        throw new AssertionError(tag);
    }
}
