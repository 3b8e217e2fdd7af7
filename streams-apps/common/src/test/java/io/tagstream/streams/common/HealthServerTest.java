package io.tagstream.streams.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class HealthServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyOnlyWhileRunningHealthyUnlessFailedAndMetricsAsJson() throws Exception {
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
        AppMetrics metrics = new AppMetrics();
        metrics.recordIn();
        metrics.recordIn();
        metrics.recordIn();
        metrics.recordIn();
        metrics.suppressed();
        metrics.recordsOut(3);
        metrics.imputed(2);
        try (HealthServer server = HealthServer.start(0, state::get, metrics)) {
            assertThat(server.port()).isPositive();
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(503);
            state.set(KafkaStreams.State.RUNNING);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
            state.set(KafkaStreams.State.ERROR);
            assertThat(get(server, "/health").statusCode()).isEqualTo(503);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(503);

            HttpResponse<String> response = get(server, "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"state\":\"ERROR\"", "\"records_in\":4", "\"records_out\":3",
                    "\"suppressed\":1", "\"suppression_ratio\":0.250000", "\"imputed\":2", "\"dead_lettered\":0");
        }
    }
}
