package io.tagstream.streams.common;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code /health} (200 unless the Streams client has failed or stopped), {@code /ready} (200 only while it
 * is RUNNING and connected to the broker with partitions assigned, see {@link AppHealth}) and {@code /metrics}
 * (JSON: state, pid, the client's connection, lag and the app's counters), on 127.0.0.1 only.
 */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /**
     * The endpoints of a running app: {@code /ready} and the running flag of {@code /metrics} come from
     * {@link AppHealth#decide}, i.e. Kafka Streams' state plus its consumers' view of the broker.
     */
    public static HealthServer start(int port, KafkaStreams streams, Supplier<Map<String, Object>> metrics) throws IOException {
        return start(port, () -> StreamsClientMetrics.read(streams), metrics);
    }

    static HealthServer start(int port, Supplier<StreamsClientMetrics.Reading> client, Supplier<Map<String, Object>> metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/health", exchange -> {
            String current = client.get().observation().streamsState();
            boolean alive = !List.of("ERROR", "PENDING_ERROR", "NOT_RUNNING", "PENDING_SHUTDOWN").contains(current);
            respond(exchange, alive ? 200 : 503, statusJson(alive ? "UP" : "DOWN", current, null));
        });
        server.createContext("/ready", exchange -> {
            StreamsClientMetrics.Reading reading = client.get();
            AppHealth.Verdict verdict = AppHealth.decide(reading.observation());
            respond(exchange, verdict.running() ? 200 : 503, statusJson(verdict.running() ? "READY" : "NOT_READY",
                    reading.observation().streamsState(), verdict.reason()));
        });
        server.createContext("/metrics", exchange -> {
            StreamsClientMetrics.Reading reading = client.get();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("state", reading.observation().streamsState());
            // lets the stack tell its own process from another one answering on the same port
            values.put("pid", ProcessHandle.current().pid());
            values.putAll(reading.asMetrics());
            values.putAll(metrics.get());
            respond(exchange, 200, AppMetrics.toJson(values));
        });
        // a single daemon thread: the endpoints are tiny and must not keep the JVM alive
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tagstream-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return new HealthServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String statusJson(String status, String state, String reason) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", status);
        values.put("state", state);
        if (reason != null) {
            values.put("reason", reason);
        }
        values.put("pid", ProcessHandle.current().pid());
        return AppMetrics.toJson(values);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
