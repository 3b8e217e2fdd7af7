package io.tagstream.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.tagstream.connect.http.core.FetchOutcome;
import io.tagstream.connect.http.core.ResponseParser;

class HttpFetcherTest {

    private static final ResponseParser PARSER = new ResponseParser(ResponseParser.Format.JSON, "", null, null,
            Set.of(), Set.of(), null, null, ',');

    @Test
    void timeoutsAndRefusedConnectionsAreTransientAndTheSecretIsMasked() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        AtomicReference<String> seenQuery = new AtomicReference<>();
        AtomicReference<String> seenHeader = new AtomicReference<>();
        server.createContext("/slow", exchange -> {
            try (exchange) {
                Thread.sleep(2_000);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.createContext("/ok", exchange -> {
            try (exchange) {
                seenQuery.set(exchange.getRequestURI().getRawQuery());
                seenHeader.set(exchange.getRequestHeaders().getFirst("X-Key"));
                byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        // the slow handler must not hold up the others
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            HttpFetcher query = new HttpFetcher(Duration.ofMillis(300), HttpFetcher.AuthMode.QUERY, "serviceKey", "", "a+b/c=",
                    PARSER, Clock.systemUTC());
            HttpFetcher.Exchange slow = query.get(base + "/slow?x=1");
            assertThat(slow.outcome()).isInstanceOf(FetchOutcome.Retry.class);
            assertThat(((FetchOutcome.Retry) slow.outcome()).reason()).startsWith("timeout after 300 ms");
            assertThat(slow.url()).isEqualTo(base + "/slow?x=1&serviceKey=***");

            HttpFetcher.Exchange ok = query.get(base + "/ok");
            assertThat(ok.outcome()).isEqualTo(new FetchOutcome.Page(java.util.List.of(), null, null));
            assertThat(seenQuery.get()).isEqualTo("serviceKey=a%2Bb%2Fc%3D");

            HttpFetcher header = new HttpFetcher(Duration.ofMillis(300), HttpFetcher.AuthMode.HEADER, "X-Key", "Token", "s3",
                    PARSER, Clock.systemUTC());
            header.get(base + "/ok");
            assertThat(seenHeader.get()).isEqualTo("Token s3");
        } finally {
            server.stop(0);
        }
        HttpFetcher refused = new HttpFetcher(Duration.ofMillis(300), HttpFetcher.AuthMode.NONE, "", "", "", PARSER, Clock.systemUTC());
        assertThat(refused.get(base + "/ok").outcome()).isInstanceOf(FetchOutcome.Retry.class);
    }
}
