package io.tagstream.streams.common;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Streams app: reads and validates the configuration, starts Kafka Streams with exactly-once
 * processing and the dead-letter handlers, serves the HTTP endpoints, and shuts down gracefully on
 * SIGTERM / SIGINT (commit, close the state stores, leave the group).
 *
 * <p>Exit codes: 0 after a requested shutdown, 1 when Kafka Streams failed, 2 for a configuration error.
 */
public final class StreamsAppRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsAppRunner.class);

    private StreamsAppRunner() {
    }

    /**
     * The Streams properties of an app. {@code streams.*} options are applied last, so an operator can tune
     * anything, including what is set here.
     */
    public static Properties streamsProperties(StreamsAppConfig config, AppMetrics metrics) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(StreamsAppConfig.APPLICATION_ID));
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(StreamsAppConfig.BOOTSTRAP_SERVERS));
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(StreamsAppConfig.STATE_DIR));
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(StreamsAppConfig.NUM_STREAM_THREADS));
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(StreamsAppConfig.COMMIT_INTERVAL_MS));
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        // no global stores today; enabled so one added later is covered too (and Kafka Streams stops warning)
        properties.put("processing.exception.handler.global.enabled", true);
        properties.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        properties.put(DeadLetters.TOPIC_CONFIG, config.getString(StreamsAppConfig.DLQ_TOPIC));
        properties.put(AppMetrics.CONFIG_KEY, metrics);
        properties.putAll(config.streamsOverrides());
        return properties;
    }

    /**
     * The whole life of an app process. {@code args}: an optional properties file, or {@code --help}.
     *
     * @param topology builds the app's topology from its configuration and the shared counters
     */
    public static <C extends StreamsAppConfig> int run(String appName, String[] args, ConfigDef definition,
                                                       Function<Map<String, Object>, C> configFactory,
                                                       BiFunction<C, AppMetrics, Topology> topology) {
        return run(appName, args, definition, configFactory, (Starter<C>) config -> {
            AppMetrics metrics = new AppMetrics();
            return start(appName, config, topology.apply(config, metrics), metrics);
        });
    }

    /** Starts an app from its validated configuration (an app with counters of its own starts itself). */
    @FunctionalInterface
    public interface Starter<C extends StreamsAppConfig> {
        RunningApp start(C config) throws IOException;
    }

    /** The whole life of an app process that starts itself; exit codes as for every app. */
    public static <C extends StreamsAppConfig> int run(String appName, String[] args, ConfigDef definition,
                                                       Function<Map<String, Object>, C> configFactory, Starter<C> starter) {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println("usage: " + appName + " [config.properties]\n\noptions (file, or environment variable):");
            System.out.print(StreamsAppConfig.describe(definition));
            return 0;
        }
        C config;
        RunningApp app;
        try {
            Path file = args.length > 0 ? Path.of(args[0]) : null;
            config = configFactory.apply(StreamsAppConfig.load(definition, file, System.getenv()));
            // Kafka Streams validates its own options (streams.*) when the client is created, inside start
            app = starter.start(config);
        } catch (ConfigException e) {
            System.err.println(appName + ": configuration error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            LOG.error("cannot bind the HTTP endpoint to 127.0.0.1: {}", e.getMessage(), e);
            return 1;
        }
        Thread hook = new Thread(app::close, appName + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean failed = app.awaitStop();
        if (failed) {
            app.close();
            return 1;
        }
        return 0;
    }

    /** Starts the app and its HTTP endpoint; {@link RunningApp#close} stops both gracefully. */
    public static RunningApp start(String appName, StreamsAppConfig config, Topology topology, AppMetrics metrics)
            throws IOException {
        return start(appName, config, topology, streamsProperties(config, metrics), metrics::snapshot,
                "input=" + config.getString(StreamsAppConfig.INPUT_TOPIC) + " output=" + config.getString(StreamsAppConfig.OUTPUT_TOPIC));
    }

    /**
     * Starts an app with Streams properties and {@code /metrics} counters of its own; {@code description}
     * (its topics and settings) goes into the start log line.
     */
    public static RunningApp start(String appName, StreamsAppConfig config, Topology topology, Properties streamsProperties,
                                   Supplier<Map<String, Object>> metrics, String description) throws IOException {
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties);
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
            app.http = HealthServer.start(config.getInt(StreamsAppConfig.HTTP_PORT), streams, metrics);
        } catch (IOException e) {
            streams.close();
            throw new IOException("port " + config.getInt(StreamsAppConfig.HTTP_PORT) + ": " + e.getMessage(), e);
        }
        LOG.info("starting app={} application.id={} {} dlq={} http=127.0.0.1:{}", appName,
                config.getString(StreamsAppConfig.APPLICATION_ID), description, config.getString(StreamsAppConfig.DLQ_TOPIC),
                app.httpPort());
        streams.start();
        return app;
    }

    /** A started app: its Streams client and HTTP endpoint. */
    public static final class RunningApp implements AutoCloseable {

        private final KafkaStreams streams;
        private final Duration shutdownTimeout;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final AtomicBoolean failed = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private HealthServer http;

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
            return http.port();
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
            // leaving the group hands the partitions to other instances now, not after the session timeout
            streams.close(CloseOptions.timeout(shutdownTimeout)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            http.close();
            stopped.countDown();
        }
    }
}
