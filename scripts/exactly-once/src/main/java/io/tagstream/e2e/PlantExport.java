package io.tagstream.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The plant's history as a CSV export over HTTP on 127.0.0.1, the way a historian or PV portal serves it:
 * {@code /export.csv?device=D001&from=<epoch s>&to=<epoch s>} (both inclusive). Like a real service it
 * sometimes refuses: a share of requests answers 503 or 429 with Retry-After, which the connector must
 * retry without losing or repeating a row.
 */
final class PlantExport implements AutoCloseable {

    private final PlantHistory history;
    private final double refusalShare;
    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(4);
    final AtomicLong requests = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong rowsServed = new AtomicLong();

    PlantExport(PlantHistory history, double refusalShare) throws IOException {
        this.history = history;
        this.refusalShare = refusalShare;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/export.csv", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String urlTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort()
                + "/export.csv?device={stream}&from={from:epoch-seconds}&to={to:epoch-seconds}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            if (ThreadLocalRandom.current().nextDouble() < refusalShare) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, ThreadLocalRandom.current().nextBoolean() ? 503 : 429, "text/plain", "busy, try again");
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            int d = PlantHistory.deviceIndex(query.get("device"));
            if (d < 0 || d >= history.devices() || !query.containsKey("from") || !query.containsKey("to")) {
                respond(exchange, 400, "text/plain", "unknown device or missing from/to");
                return;
            }
            long from = Math.max(Long.parseLong(query.get("from")), history.firstSecond());
            long to = Math.min(Long.parseLong(query.get("to")), history.lastSecond());
            StringBuilder csv = new StringBuilder("time,device");
            for (int t = 0; t < history.tagsPerDevice(); t++) {
                csv.append(',').append(PlantHistory.column(t));
            }
            csv.append('\n');
            long rows = 0;
            for (long s = from; s <= to; s++) {
                csv.append(s).append(',').append(PlantHistory.device(d));
                for (int t = 0; t < history.tagsPerDevice(); t++) {
                    csv.append(',').append(PlantHistory.text(d, t, s));
                }
                csv.append('\n');
                rows++;
            }
            rowsServed.addAndGet(rows);
            respond(exchange, 200, "text/csv", csv.toString());
        } catch (RuntimeException e) {
            respond(exchange, 500, "text/plain", String.valueOf(e));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
