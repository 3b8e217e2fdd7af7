package io.tagstream.connect.http;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import io.tagstream.connect.http.core.FetchOutcome;
import io.tagstream.connect.http.core.ResponseParser;

/**
 * One GET per call with the JDK client. Connection problems and timeouts are transient (retried with
 * backoff, offset untouched); everything else is classified by {@link ResponseParser}. The secret is sent
 * as configured and masked in every URL that leaves this class.
 */
final class HttpFetcher {

    enum AuthMode { NONE, QUERY, HEADER }

    private final HttpClient client;
    private final Duration timeout;
    private final AuthMode auth;
    private final String authParam;
    private final String authPrefix;
    private final String secret;
    private final ResponseParser parser;
    private final Clock clock;

    HttpFetcher(Duration timeout, AuthMode auth, String authParam, String authPrefix, String secret,
                ResponseParser parser, Clock clock) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.timeout = timeout;
        this.auth = auth;
        this.authParam = authParam;
        this.authPrefix = authPrefix;
        this.secret = secret;
        this.parser = parser;
        this.clock = clock;
    }

    /** The result and the raw body (for the dead-letter topic). */
    record Exchange(String url, FetchOutcome outcome, byte[] body) {
    }

    String withAuth(String url) {
        if (auth != AuthMode.QUERY) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + URLEncoder.encode(authParam, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    }

    /** The URL as it may be logged: the secret, raw or encoded, replaced by ***. */
    String mask(String url) {
        if (secret == null || secret.isEmpty()) {
            return url;
        }
        return url.replace(URLEncoder.encode(secret, StandardCharsets.UTF_8), "***").replace(secret, "***");
    }

    Exchange get(String renderedUrl) throws InterruptedException {
        String url = withAuth(renderedUrl);
        String masked = mask(url);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
                    .header("Accept", "application/json, text/csv;q=0.9, */*;q=0.1");
        } catch (IllegalArgumentException e) {
            return new Exchange(masked, new FetchOutcome.ErrorPayload("invalid URL: " + e.getMessage(), 0), new byte[0]);
        }
        if (auth == AuthMode.HEADER) {
            // Connect trims string options, so the scheme and the secret are joined here
            request.header(authParam, authPrefix.isBlank() ? secret : authPrefix.trim() + " " + secret);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body() == null ? new byte[0] : response.body();
            return new Exchange(masked, parser.parse(response.statusCode(), response.headers().map(), body, clock.instant()), body);
        } catch (HttpTimeoutException e) {
            return new Exchange(masked, new FetchOutcome.Retry("timeout after " + timeout.toMillis() + " ms", null), new byte[0]);
        } catch (IOException e) {
            return new Exchange(masked, new FetchOutcome.Retry("connection failed: " + e, null), new byte[0]);
        }
    }
}
