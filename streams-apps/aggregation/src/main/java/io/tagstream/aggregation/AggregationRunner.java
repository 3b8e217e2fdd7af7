package io.tagstream.aggregation;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

/**
 * Runs the aggregation app like {@link StreamsAppRunner} runs the others (same Streams properties through
 * {@link StreamsAppRunner#streamsProperties}, exactly_once_v2, dead-letter handlers, graceful shutdown, exit
 * codes 0 / 1 / 2) and serves the same {@code /health} and {@code /ready}; {@code /metrics} carries the
 * aggregation's own counters (late readings, aggregates per window size). A copy of the common runner and
 * health server, because their metrics are fixed to the shared counters; folding an extension point into
 * common would remove it.
 */
public final class AggregationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(AggregationRunner.class);

    private AggregationRunner() {
    }

    /** The whole life of the app process. {@code args}: an optional properties file, or {@code --help}. */
    static int run(String appName, String[] args) {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println("usage: " + appName + " [config.properties]\n\noptions (file, or environment variable):");
            System.out.print(StreamsAppConfig.describe(AggregationConfig.DEFINITION));
            return 0;
        }
        AggregationMetrics metrics = new AggregationMetrics();
        AggregationConfig config;
        Topology topology;
        try {
            Path file = args.length > 0 ? Path.of(args[0]) : null;
            config = new AggregationConfig(StreamsAppConfig.load(AggregationConfig.DEFINITION, file, System.getenv()));
            topology = AggregationApp.topology(config, metrics);
        } catch (ConfigException e) {
            System.err.println(appName + ": configuration error: " + e.getMessage());
            return 2;
        }
        RunningApp app;
        try {
            app = start(appName, config, topology, metrics);
        } catch (ConfigException e) {
            System.err.println(appName + ": configuration error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            LOG.error("cannot bind the HTTP endpoint to 127.0.0.1:{}", config.getInt(StreamsAppConfig.HTTP_PORT), e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, appName + "-shutdown"));
        if (app.awaitStop()) {
            app.close();
            return 1;
        }
        return 0;
    }

    /**
     * The common Streams properties, plus {@code max.task.idle.ms=-1} unless {@code streams.max.task.idle.ms} is
     * given: every task reads one partition of one topic, so there is nothing to wait for to keep partitions in
     * step, and with the default Kafka Streams formats a trace message it never logs whenever a task's queue runs
     * empty (7% of the stream thread's time in the benchmark).
     */
    static java.util.Properties streamsProperties(AggregationConfig config, AggregationMetrics metrics) {
        java.util.Properties properties = StreamsAppRunner.streamsProperties(config, metrics.app());
        properties.putIfAbsent(org.apache.kafka.streams.StreamsConfig.MAX_TASK_IDLE_MS_CONFIG,
                org.apache.kafka.streams.StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return properties;
    }

    /** Starts the app and its HTTP endpoint; {@link RunningApp#close} stops both gracefully. */
    public static RunningApp start(String appName, AggregationConfig config, Topology topology, AggregationMetrics metrics)
            throws IOException {
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, metrics));
        RunningApp app = new RunningApp(streams, Duration.ofMillis(config.getLong(StreamsAppConfig.SHUTDOWN_TIMEOUT_MS)));
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed; shutting the app down so it can be restarted", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((newState, oldState) -> {
            LOG.info("state {} -> {}", oldState, newState);
            app.stateChanged(newState);
        });
        try {
            app.http = startHttp(config.getInt(StreamsAppConfig.HTTP_PORT), streams, metrics);
        } catch (IOException e) {
            streams.close();
            throw e;
        }
        LOG.info("starting app={} application.id={} input={} output.1m={} output.1h={} late={} dlq={} window.clock={} grace={}ms http=127.0.0.1:{}",
                appName, config.getString(StreamsAppConfig.APPLICATION_ID), config.getString(StreamsAppConfig.INPUT_TOPIC),
                config.getString(StreamsAppConfig.OUTPUT_TOPIC), config.getString(AggregationConfig.HOUR_OUTPUT_TOPIC),
                config.getString(AggregationConfig.LATE_TOPIC), config.getString(StreamsAppConfig.DLQ_TOPIC),
                config.settings().clock().configValue(), config.getLong(AggregationConfig.GRACE_MS), app.httpPort());
        streams.start();
        return app;
    }

    /** {@code /health}, {@code /ready}, {@code /metrics} on 127.0.0.1, with the semantics of the common HealthServer. */
    private static HttpServer startHttp(int port, KafkaStreams streams, AggregationMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/health", exchange -> {
            KafkaStreams.State state = streams.state();
            boolean alive = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                    && state != KafkaStreams.State.NOT_RUNNING && state != KafkaStreams.State.PENDING_SHUTDOWN;
            respond(exchange, alive ? 200 : 503, status(alive ? "UP" : "DOWN", state));
        });
        server.createContext("/ready", exchange -> {
            KafkaStreams.State state = streams.state();
            boolean ready = state == KafkaStreams.State.RUNNING;
            respond(exchange, ready ? 200 : 503, status(ready ? "READY" : "NOT_READY", state));
        });
        server.createContext("/metrics", exchange -> {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("state", String.valueOf(streams.state()));
            values.putAll(metrics.snapshot());
            respond(exchange, 200, json(values));
        });
        // a single daemon thread: the endpoints are tiny and must not keep the JVM alive
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tagstream-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }

    private static String status(String status, KafkaStreams.State state) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", status);
        values.put("state", String.valueOf(state));
        return json(values);
    }

    /** A flat JSON object; values are numbers or strings without characters that need escaping. */
    static String json(Map<String, Object> values) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(entry.getKey()).append("\":");
            Object value = entry.getValue();
            if (value instanceof Double d) {
                out.append(String.format(Locale.ROOT, "%.6f", d));
            } else if (value instanceof Number) {
                out.append(value);
            } else {
                out.append('"').append(String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return out.append('}').toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A started app: its Streams client and HTTP endpoint. */
    public static final class RunningApp implements AutoCloseable {

        private final KafkaStreams streams;
        private final Duration shutdownTimeout;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final AtomicBoolean failed = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private HttpServer http;

        private RunningApp(KafkaStreams streams, Duration shutdownTimeout) {
            this.streams = streams;
            this.shutdownTimeout = shutdownTimeout;
        }

        private void stateChanged(KafkaStreams.State state) {
            if (state == KafkaStreams.State.ERROR) {
                failed.set(true);
                stopped.countDown();
            } else if (state == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        }

        public int httpPort() {
            return http.getAddress().getPort();
        }

        public KafkaStreams.State state() {
            return streams.state();
        }

        /** Blocks until the Streams client stopped; true when it stopped because it failed. */
        public boolean awaitStop() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return failed.get();
        }

        /** Graceful: commits, closes the state stores and leaves the group, within the shutdown timeout. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            LOG.info("shutting down (timeout {} ms)", shutdownTimeout.toMillis());
            streams.close(CloseOptions.timeout(shutdownTimeout)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            http.stop(0);
            stopped.countDown();
        }
    }
}
