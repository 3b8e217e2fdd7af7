package io.tagstream.streams.common;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code /health} (200 unless the Streams client has failed or stopped), {@code /ready} (200 only while it
 * is RUNNING, i.e. processing, not rebalancing or restoring) and {@code /metrics} (JSON counters), on
 * 127.0.0.1 only.
 */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    public static HealthServer start(int port, Supplier<KafkaStreams.State> state, AppMetrics metrics) throws IOException {
        return start(port, state, metrics::snapshot);
    }

    /** The same endpoints with an app's own counters on {@code /metrics} (a flat map of numbers and strings). */
    public static HealthServer start(int port, Supplier<KafkaStreams.State> state, Supplier<Map<String, Object>> metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/health", exchange -> {
            KafkaStreams.State current = state.get();
            boolean alive = current != KafkaStreams.State.ERROR && current != KafkaStreams.State.PENDING_ERROR
                    && current != KafkaStreams.State.NOT_RUNNING && current != KafkaStreams.State.PENDING_SHUTDOWN;
            respond(exchange, alive ? 200 : 503, statusJson(alive ? "UP" : "DOWN", current));
        });
        server.createContext("/ready", exchange -> {
            KafkaStreams.State current = state.get();
            boolean ready = current == KafkaStreams.State.RUNNING;
            respond(exchange, ready ? 200 : 503, statusJson(ready ? "READY" : "NOT_READY", current));
        });
        server.createContext("/metrics", exchange -> {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("state", String.valueOf(state.get()));
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

    private static String statusJson(String status, KafkaStreams.State state) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", status);
        values.put("state", String.valueOf(state));
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
