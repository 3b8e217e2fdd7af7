package io.tagstream.aggregation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.streams.common.HealthServer;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

/**
 * Runs the aggregation app like {@link StreamsAppRunner} runs the others (same Streams properties through
 * {@link StreamsAppRunner#streamsProperties}, exactly_once_v2, dead-letter handlers, graceful shutdown, exit
 * codes 0 / 1 / 2) and serves the common {@link HealthServer}, whose {@code /metrics} carries the
 * aggregation's own counters (late readings, aggregates per window size).
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
            app.http = HealthServer.start(config.getInt(StreamsAppConfig.HTTP_PORT), streams::state, metrics::snapshot);
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
            streams.close(CloseOptions.timeout(shutdownTimeout)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            http.close();
            stopped.countDown();
        }
    }
}
