package io.tagstream.streams.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class HealthServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static StreamsClientMetrics.Reading reading(String state, double connections, double heartbeatAgo) {
        return new StreamsClientMetrics.Reading(new AppHealth.Observation(state, connections, heartbeatAgo, 3), 42, 0.5);
    }

    @Test
    void readyOnlyWhileRunningAndConnectedHealthyUnlessFailedAndMetricsAsJson() throws Exception {
        AtomicReference<StreamsClientMetrics.Reading> client = new AtomicReference<>(reading("REBALANCING", 2, 1));
        AppMetrics metrics = new AppMetrics();
        metrics.recordIn();
        metrics.recordIn();
        metrics.recordIn();
        metrics.recordIn();
        metrics.suppressed();
        metrics.recordsOut(3);
        metrics.imputed(2);
        try (HealthServer server = HealthServer.start(0, client::get, metrics::snapshot)) {
            assertThat(server.port()).isPositive();
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(503);
            client.set(reading("RUNNING", 2, 1));
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
            // the broker is gone: Kafka Streams still says RUNNING, the consumers do not
            client.set(reading("RUNNING", 0, 1));
            HttpResponse<String> notConnected = get(server, "/ready");
            assertThat(notConnected.statusCode()).isEqualTo(503);
            assertThat(notConnected.body()).contains("no connection to the broker");
            client.set(reading("ERROR", 2, 1));
            assertThat(get(server, "/health").statusCode()).isEqualTo(503);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(503);

            HttpResponse<String> response = get(server, "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"state\":\"ERROR\"", "\"records_in\":4", "\"records_out\":3",
                    "\"suppressed\":1", "\"suppression_ratio\":0.250000", "\"imputed\":2", "\"dead_lettered\":0",
                    "\"running\":\"false\"", "\"records_lag\":42", "\"pid\":" + ProcessHandle.current().pid(),
                    "\"last_record_at\":\"20");
        }
    }
}
