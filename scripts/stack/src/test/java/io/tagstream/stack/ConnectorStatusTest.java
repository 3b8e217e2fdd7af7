package io.tagstream.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Connect's {@code /connectors?expand=status} answer, as the REST API gives it, turned into problems. */
class ConnectorStatusTest {

    private static final String TRACE = """
            org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler
            \tat org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator.execAndHandleError(RetryWithToleranceOperator.java:260)
            \tat org.apache.kafka.connect.runtime.AbstractWorkerSourceTask.execute(AbstractWorkerSourceTask.java:380)
            Caused by: io.apicurio.registry.rest.client.exception.RestClientException: Timeout trying to lock table SEQUENCES
            \tat io.apicurio.registry.rest.client.impl.ErrorHandler.handleErrorResponse(ErrorHandler.java:64)
            """;

    private static JsonNode json(String text) throws Exception {
        return JsonHttp.mapper().readTree(text);
    }

    private static String status(String name, String state, String tasks) {
        return "\"" + name + "\": {\"status\": {\"name\": \"" + name + "\", \"connector\": {\"state\": \"" + state
                + "\", \"worker_id\": \"127.0.0.1:18083\"}, \"tasks\": [" + tasks + "], \"type\": \"source\"}}";
    }

    private static String task(int id, String state, String trace) throws Exception {
        return "{\"id\": " + id + ", \"state\": \"" + state + "\", \"worker_id\": \"127.0.0.1:18083\""
                + (trace == null ? "" : ", \"trace\": " + JsonHttp.mapper().writeValueAsString(trace)) + "}";
    }

    @Test
    void aFailedTaskIsAProblemNamedWithTheCauseFromItsTrace() throws Exception {
        List<ConnectorStatus> connectors = ConnectorStatus.parse(json("{" + status("modbus-demo", "RUNNING",
                task(0, "FAILED", TRACE)) + ", " + status("cdc-ops", "RUNNING", task(0, "RUNNING", null)) + "}"));

        assertThat(connectors).extracting(ConnectorStatus::name).containsExactly("modbus-demo", "cdc-ops");
        ConnectorStatus modbus = connectors.get(0);
        assertThat(modbus.failed()).isTrue();
        assertThat(modbus.settled()).isFalse();
        assertThat(modbus.problems()).containsExactly("connector modbus-demo task 0 is FAILED: "
                + "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler / "
                + "Caused by: io.apicurio.registry.rest.client.exception.RestClientException: Timeout trying to lock table SEQUENCES");
        assertThat(modbus.line()).isEqualTo("connector modbus-demo RUNNING, task 0 FAILED");

        ConnectorStatus cdc = connectors.get(1);
        assertThat(cdc.failed()).isFalse();
        assertThat(cdc.settled()).isTrue();
        assertThat(cdc.problems()).isEmpty();
    }

    @Test
    void aFailedConnectorIsAProblemEvenWithoutTasks() throws Exception {
        ConnectorStatus connector = ConnectorStatus.parse(json("{" + status("broken", "FAILED", "") + "}")).get(0);
        assertThat(connector.failed()).isTrue();
        assertThat(connector.problems()).containsExactly("connector broken is FAILED");
    }

    @Test
    void onTheWayIsNotFailedButNotSettledEither() throws Exception {
        List<ConnectorStatus> connectors = ConnectorStatus.parse(json("{" + status("starting", "RUNNING", "") + ", "
                + status("assigning", "RUNNING", task(0, "UNASSIGNED", null) + ", " + task(1, "RUNNING", null)) + ", "
                + status("restarting", "RESTARTING", task(0, "RESTARTING", null)) + "}"));
        assertThat(connectors).noneMatch(ConnectorStatus::failed).noneMatch(ConnectorStatus::settled);
        assertThat(connectors.get(0).problems()).containsExactly("connector starting has no tasks yet");
        assertThat(connectors.get(1).problems()).containsExactly("connector assigning task 0 is UNASSIGNED");
        assertThat(connectors.get(2).problems()).containsExactly("connector restarting is RESTARTING",
                "connector restarting task 0 is RESTARTING");
    }

    @Test
    void pausedAndStoppedAreWhatSomeoneAskedFor() throws Exception {
        List<ConnectorStatus> connectors = ConnectorStatus.parse(json("{" + status("paused", "PAUSED", task(0, "PAUSED", null))
                + ", " + status("stopped", "STOPPED", "") + "}"));
        assertThat(connectors).allMatch(ConnectorStatus::settled).allMatch(c -> c.problems().isEmpty());
    }

    @Test
    void aLongTraceKeepsTheFirstLineAndTheDeepestCauses() {
        String trace = "A: top\n\tat x\nCaused by: B: one\nCaused by: C: two\nCaused by: D: three\nCaused by: E: root\n\tat y";
        assertThat(ConnectorStatus.traceHead(trace)).isEqualTo("A: top / ... / Caused by: C: two / Caused by: D: three / Caused by: E: root");
    }

    @Test
    void noConnectorsNoProblems() throws Exception {
        assertThat(ConnectorStatus.parse(json("{}"))).isEmpty();
    }
}
