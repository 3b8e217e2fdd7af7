package io.tagstream.simulator.weather;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class WeatherApiSimulatorTest {

    private static final Instant NOW = Instant.parse("2026-11-03T05:20:00Z");
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(WeatherApiSimulator simulator, String query) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/getWthrDataList?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesKmaShapedPagesUpToTheCurrentHour() throws Exception {
        try (WeatherApiSimulator simulator = new WeatherApiSimulator(0, "k+y", Set.of("108"), 0, Duration.ZERO,
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            String query = "serviceKey=k%2By&pageNo=2&numOfRows=10&dataType=JSON&dataCd=ASOS&dateCd=HR"
                    + "&startDt=20261103&startHh=00&endDt=20261103&endHh=23&stnIds=108";
            JsonNode root = new ObjectMapper().readTree(get(simulator, query).body());
            assertThat(root.at("/response/header/resultCode").asText()).isEqualTo("00");
            // 00:00 .. 14:00 KST exist at 05:20 UTC (14:20 KST): 15 rows, page 2 holds 5
            assertThat(root.at("/response/body/totalCount").asInt()).isEqualTo(15);
            JsonNode items = root.at("/response/body/items/item");
            assertThat(items).hasSize(5);
            assertThat(items.get(0).get("tm").asText()).isEqualTo("2026-11-03 10:00");
            assertThat(items.get(0).get("ta").asText())
                    .isEqualTo(AsosObservations.row("108", Instant.parse("2026-11-03T01:00:00Z")).get("ta"));

            String future = query.replace("20261103", "20261104");
            assertThat(new ObjectMapper().readTree(get(simulator, future).body()).at("/response/header/resultCode").asText())
                    .isEqualTo("03");
            assertThat(get(simulator, query.replace("k%2By", "wrong")).body()).contains("SERVICE_KEY_IS_NOT_REGISTERED_ERROR");

            simulator.inject(WeatherApiSimulator.Fault.TOO_MANY_REQUESTS);
            HttpResponse<String> limited = get(simulator, query);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).contains("1");
            assertThat(get(simulator, query).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void observationsAreDeterministicWithSomeMissing() {
        Instant hour = Instant.parse("2026-11-01T00:00:00Z");
        assertThat(AsosObservations.row("108", hour)).isEqualTo(AsosObservations.row("108", hour));
        assertThat(AsosObservations.row("108", hour).get("tm")).isEqualTo("2026-11-01 09:00");
        long missingTa = 0;
        for (int h = 0; h < 24 * 30; h++) {
            if (AsosObservations.row("112", hour.plusSeconds(3600L * h)).get("ta").isEmpty()) {
                missingTa++;
            }
        }
        assertThat(missingTa).isBetween(20L, 110L);
    }
}
