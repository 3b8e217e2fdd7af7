package io.tagstream.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.ConnectRest;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * Generic mode in the real worker: a PV-generation CSV export (header auth, KST local times, W and Wh
 * scaled to kW and kWh) at a 2-second resolution, so that after the short backfill the connector is seen
 * following live data: every step from the start to well after registration arrives exactly once.
 */
class GenericCsvLiveIT {

    private static final ZoneId KST = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final StackEndpoints stack = SharedStack.get();
    private final StackKafka kafka = new StackKafka(stack);
    private final ConnectRest connect = new ConnectRest(stack);
    private final String id = TestIds.next();
    private final String connector = "it-pv-csv-" + id;
    private final String topic = "it.http.pv." + id;
    private HttpServer server;

    @AfterEach
    void cleanUp() throws Exception {
        connect.delete(connector);
        if (server != null) {
            server.stop(0);
        }
    }

    static String power(long epochSecond) {
        return Long.toString(Math.floorMod(epochSecond, 1000) * 10);
    }

    static String energy(long epochSecond) {
        return Math.floorMod(epochSecond, 10) == 0 ? "" : Long.toString(Math.floorMod(epochSecond, 777) * 100);
    }

    @Test
    void backfillsThenFollowsLiveCsvExactlyOnce() throws Exception {
        String token = "pv-token-" + id;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/export.csv", exchange -> {
            try (exchange) {
                byte[] body;
                int status;
                if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    status = 401;
                    body = "unauthorized".getBytes(StandardCharsets.UTF_8);
                } else {
                    Map<String, String> query = new HashMap<>();
                    for (String pair : exchange.getRequestURI().getQuery().split("&")) {
                        query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                    }
                    long from = Long.parseLong(query.get("from"));
                    long to = Math.min(Long.parseLong(query.get("to")), Instant.now().getEpochSecond());
                    StringBuilder csv = new StringBuilder("time,plant,power_w,energy_wh\n");
                    for (long s = from; s <= to; s += 2) {
                        csv.append(TIME.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(s), KST))).append(",PV-")
                                .append(query.get("plant")).append(',').append(power(s)).append(',').append(energy(s)).append('\n');
                    }
                    status = 200;
                    body = csv.toString().getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().set("Content-Type", "text/csv");
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();

        Path secrets = stack.home().resolve("it-http-source").resolve("pv-" + id + ".properties");
        Files.createDirectories(secrets.getParent());
        Files.writeString(secrets, "token=" + token + "\n");
        kafka.createTopics(3, topic);

        Instant registered = Instant.now();
        Instant start = Instant.ofEpochSecond(Math.floorDiv(registered.getEpochSecond() - 30, 2) * 2);
        ObjectNode config = connect.sourceConverters(ConnectRest.config(HttpSourceConnector.class.getName()));
        config.put("url.template", "http://127.0.0.1:" + server.getAddress().getPort()
                + "/export.csv?plant={stream}&from={from:epoch-seconds}&to={to:epoch-seconds}");
        config.put("streams", "7");
        config.put("auth.mode", "header");
        config.put("auth.param", "Authorization");
        config.put("auth.prefix", "Bearer");
        config.put("auth.secret", "${file:" + secrets + ":token}");
        config.put("response.format", "csv");
        config.put("paging", "none");
        config.put("time.field", "time");
        config.put("time.format", "yyyy-MM-dd HH:mm:ss");
        config.put("time.zone", "Asia/Seoul");
        config.put("site", "PV-SITE");
        config.put("device.field", "plant");
        config.put("tags", "power_w:power:kW:0.001,energy_wh:energy:kWh:0.001");
        config.put("start.time", start.toString());
        config.put("time.step.ms", "2000");
        config.put("slice.ms", "10000");
        config.put("availability.lag.ms", "0");
        config.put("poll.interval.ms", "500");
        config.put("topic", topic);
        connect.put(connector, config);

        // live: wait for data measured 10 s after the registration
        Instant liveMark = registered.plusSeconds(10);
        List<ConsumerRecord<String, Reading>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<String, Reading> consumer = kafka.consumer(new StringDeserializer(), kafka.<Reading>avroDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < deadline
                    && records.stream().noneMatch(r -> !r.value().getTs().isBefore(liveMark))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        Instant newest = records.stream().map(r -> r.value().getTs()).max(Instant::compareTo).orElseThrow();
        assertThat(newest).as("followed live data").isAfterOrEqualTo(liveMark);

        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, Reading> record : records) {
            Reading reading = record.value();
            long s = reading.getTs().getEpochSecond();
            assertThat(seen.add(reading.getTag() + "@" + s)).as("duplicate %s at %s", reading.getTag(), reading.getTs()).isTrue();
            assertThat(record.key()).isEqualTo("PV-SITE/PV-7/" + reading.getTag());
            String raw = reading.getTag().equals("power") ? power(s) : energy(s);
            if (raw.isEmpty()) {
                assertThat(reading.getValue()).isNull();
                assertThat(reading.getQuality()).isEqualTo(Quality.BAD);
            } else {
                assertThat(reading.getValue()).isEqualTo(Long.parseLong(raw) * 0.001);
                assertThat(reading.getUnit()).isEqualTo(reading.getTag().equals("power") ? "kW" : "kWh");
            }
        }
        // every 2-second step from the start up to the newest one seen: present, for both tags
        for (long s = start.getEpochSecond(); s <= newest.getEpochSecond(); s += 2) {
            assertThat(seen).contains("power@" + s, "energy@" + s);
        }
    }
}
