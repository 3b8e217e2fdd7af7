package io.tagstream.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.stack.testing.SharedStack;

/**
 * {@code up} and {@code status} tell the truth about connectors on the real shared stack: a connector whose
 * task fails on purpose (a JDBC sink pointed at a port where no database listens) makes {@code up} fail
 * naming it, after restarting it a bounded number of times, and {@code status} report it non-zero.
 */
class StackTruthIT {

    private static final String CONNECTOR = "truth-it-failing-" + UUID.randomUUID().toString().substring(0, 8);

    private static StackEndpoints endpoints;

    @BeforeAll
    static void stack() {
        endpoints = SharedStack.get();
    }

    @AfterAll
    static void removeTheFailingConnector() throws Exception {
        if (endpoints != null) {
            JsonHttp.delete(endpoints.connectUrl() + "/connectors/" + CONNECTOR);
        }
    }

    private static LocalStack sharedStack() {
        return LocalStack.create(StackConfig.from(Map.of(), Map.of(StackConfig.HOME, endpoints.home().toString(),
                StackConfig.PROFILE, StackConfig.PROFILE_INFRASTRUCTURE)), SharedStack.findRepo());
    }

    private static int portWhereNothingListens() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aTaskThatKeepsFailingMakesUpFailNamingItAndStatusReportIt() throws Exception {
        ObjectNode config = JsonHttp.mapper().createObjectNode();
        config.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", "telemetry.agg.1h");
        config.put("connection.url", "jdbc:postgresql://127.0.0.1:" + portWhereNothingListens() + "/nowhere");
        config.put("connection.username", "nobody");
        config.put("connection.password", "nothing");
        JsonHttp.Response created = JsonHttp.put(endpoints.connectUrl() + "/connectors/" + CONNECTOR + "/config",
                JsonHttp.mapper().writeValueAsString(config));
        assertThat(created.status()).as(created.body()).isBetween(200, 299);

        ByteArrayOutputStream upOutput = new ByteArrayOutputStream();
        long begin = System.nanoTime();
        assertThatThrownBy(() -> sharedStack().up(new PrintStream(upOutput, true, StandardCharsets.UTF_8)))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("connector " + CONNECTOR)
                .hasMessageContaining("keeps failing after " + ConnectWorker.MAX_RESTARTS + " restarts")
                .hasMessageContaining("FAILED")
                .hasMessageContaining("Caused by"); // the trace's cause, not only Connect's wrapper
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(170));
        // it was restarted, and said so, before up gave up
        assertThat(upOutput.toString(StandardCharsets.UTF_8))
                .contains("connect: restarted " + CONNECTOR + " (restart 1 of at most " + ConnectWorker.MAX_RESTARTS + ")")
                .doesNotContain("ready and running");

        ByteArrayOutputStream statusOutput = new ByteArrayOutputStream();
        boolean healthy = sharedStack().status(new PrintStream(statusOutput, true, StandardCharsets.UTF_8));
        String report = statusOutput.toString(StandardCharsets.UTF_8);
        assertThat(healthy).as(report).isFalse();
        assertThat(report).contains("DOWN connect", "connector " + CONNECTOR + " task 0 is FAILED", "stack NOT healthy");

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        assertThat(sharedStack().status(new PrintStream(json, true, StandardCharsets.UTF_8), true)).isFalse();
        var document = JsonHttp.mapper().readTree(json.toString(StandardCharsets.UTF_8));
        assertThat(document.path("healthy").asBoolean(true)).isFalse();
        var connect = java.util.stream.StreamSupport.stream(document.path("components").spliterator(), false)
                .filter(c -> c.path("name").asText().equals(ConnectWorker.NAME)).findFirst().orElseThrow();
        assertThat(connect.path("up").asBoolean(true)).isFalse();
        assertThat(connect.path("facts").path("connectors").toString()).contains(CONNECTOR, "FAILED");
    }
}
