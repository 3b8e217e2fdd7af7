package io.tagstream.connect.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tagstream.connect.webhook.core.DeliveryLedger;
import io.tagstream.connect.webhook.core.HttpOutcome;

/**
 * Posts one JSON payload and reports what came back, never throwing for HTTP or network trouble. Redirects
 * are not followed (a POST must not turn into a GET); messages never contain the URL, which is a secret.
 */
final class WebhookClient {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String EVENT_ID = "X-Tagstream-Event-Id";

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    WebhookClient(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    HttpOutcome post(String json, String eventId) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "tagstream-webhook-sink/" + Version.VERSION)
                // the same on every attempt, by every task: receivers that honour it drop repeats themselves
                .header(IDEMPOTENCY_KEY, DeliveryLedger.idempotencyKey(eventId))
                .header(EVENT_ID, DeliveryLedger.headerValue(eventId))
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return HttpOutcome.response(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
        } catch (HttpTimeoutException e) {
            return HttpOutcome.timeout("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return HttpOutcome.transportFailure(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(url.toString(), "<webhook.url>")));
        }
    }
}
