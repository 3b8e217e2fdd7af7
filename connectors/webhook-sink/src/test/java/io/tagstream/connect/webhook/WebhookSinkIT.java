package io.tagstream.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tagstream.schema.AlertEvent;
import io.tagstream.schema.AlertKind;
import io.tagstream.schema.AlertState;
import io.tagstream.schema.Severity;
import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.ConnectRest;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * The connector in the stack's real Connect worker, registered over REST, posting to a webhook in this JVM
 * that answers 429 (with Retry-After) and 500 to first attempts now and then, and 400 to one poison alert.
 * A REST restart of connector and task lands mid-stream. Every transition must reach the webhook exactly
 * once (counted in 2xx answers), in order per alert, the poison one on the dead-letter topic with its
 * reason, and the task RUNNING throughout. Then the committed offsets are deleted (the connector stopped
 * and resumed), so every record is read again: the delivered-id topic must keep every one from being
 * posted a second time.
 */
class WebhookSinkIT {

    private static final int ALERTS = 12;
    private static final List<AlertState> EPISODE = List.of(AlertState.RAISED, AlertState.ESCALATED, AlertState.CLEARED);

    private final StackEndpoints stack = SharedStack.get();
    private final StackKafka kafka = new StackKafka(stack);
    private final ConnectRest connect = new ConnectRest(stack);
    private final String id = TestIds.next();
    private final String connector = "it-webhook-" + id;
    private final String topic = "it.alerts." + id;
    private final String dlq = "it.alerts.dlq." + id;
    private final String token = "T" + id + "/B0/s3cr3t" + id;
    private Receiver receiver;

    @AfterEach
    void cleanUp() throws Exception {
        connect.delete(connector);
        if (receiver != null) {
            receiver.server.stop(0);
        }
        // the broker is shared: leave only what other tests expect
        try {
            kafka.deleteTopics(List.of(topic, dlq, "webhook.delivered." + connector));
        } catch (Exception e) {
            System.err.println("could not delete the test topics: " + e.getMessage());
        }
    }

    @Test
    void postsEveryTransitionExactlyOnceThroughFaultsARestartAndAnOffsetReset() throws Exception {
        receiver = new Receiver("/services/" + token);
        // the URL is a secret: it reaches the connector only through the file config provider
        Path secrets = stack.home().resolve("it-webhook-sink").resolve(id + ".properties");
        Files.createDirectories(secrets.getParent());
        Properties properties = new Properties();
        properties.setProperty("url", receiver.url());
        try (var out = Files.newOutputStream(secrets)) {
            properties.store(out, "integration test webhook");
        }
        kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(dlq, 1, (short) 1)));

        List<AlertEvent> events = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-30T06:00:00Z");
        for (int i = 0; i < ALERTS; i++) {
            for (int s = 0; s < EPISODE.size(); s++) {
                AlertState state = EPISODE.get(s);
                events.add(event("IT-" + id + "-a" + i, state, state == AlertState.ESCALATED ? Severity.CRITICAL : Severity.WARNING,
                        t0.plusSeconds(i * 60L + s * 10L), t0.plusSeconds(i * 60L)));
            }
        }
        AlertEvent poison = event("IT-" + id + "-poison", AlertState.RAISED, Severity.CRITICAL, t0.plusSeconds(5), t0.plusSeconds(5));
        // every 4th event's first attempt gets a 429 with Retry-After, every 5th a 500; the poison always a 400
        for (int i = 0; i < events.size(); i++) {
            String eventId = eventId(events.get(i));
            if (i % 4 == 1) {
                receiver.failFirst.put(eventId, 429);
            } else if (i % 5 == 2) {
                receiver.failFirst.put(eventId, 500);
            }
        }
        receiver.alwaysRefuse.add(eventId(poison));

        ObjectNode config = connect.sinkConverters(ConnectRest.config(WebhookSinkConnector.class.getName()));
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("webhook.url", "${file:" + secrets + ":url}");
        config.put("webhook.timeout.ms", "3000");
        config.put("retry.backoff.ms", "200");
        config.put("retry.backoff.max.ms", "2000");
        config.put("max.retries", "-1");
        config.put("message.channel", "#it-alarms");
        config.put("delivered.bootstrap.servers", stack.bootstrapServers());
        config.put("errors.tolerance", "all");
        config.put("errors.log.enable", "true");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("consumer.override.max.poll.records", "5");
        connect.put(connector, config);
        connect.awaitTaskState(connector, ConnectRest.RUNNING, Duration.ofSeconds(60));

        try (KafkaProducer<String, SpecificRecord> producer = kafka.producer(kafka.avroSerializer())) {
            producer.send(new ProducerRecord<>(topic, poison.getAlertId().toString(), poison)).get();
            for (AlertEvent event : events) {
                producer.send(new ProducerRecord<>(topic, event.getAlertId().toString(), event));
            }
            producer.flush();
        }

        // restart connector and task over REST once a part is through
        await("first deliveries", () -> receiver.deliveredIds().size() >= 8, Duration.ofSeconds(60));
        assertThat(receiver.deliveredIds().size()).as("restart must land mid-stream").isLessThan(events.size());
        JsonHttp.Response restart = JsonHttp.post(connect.url("/connectors/" + connector + "/restart?includeTasks=true&onlyFailed=false"), "");
        assertThat(restart.status()).as(restart.body()).isIn(200, 202, 204);
        int deliveredAtRestart = receiver.deliveredIds().size();

        await("every transition delivered", () -> receiver.deliveredIds().size() >= events.size(), Duration.ofSeconds(120));
        Thread.sleep(3000); // anything late and extra would show now
        assertExactlyOnceInOrder(events);
        assertThat(receiver.answered(429)).isGreaterThan(0);
        assertThat(receiver.answered(500)).isGreaterThan(0);
        assertThat(receiver.answered(400)).isGreaterThanOrEqualTo(1);
        assertThat(deliveredAtRestart).isLessThan(events.size());

        // what the webhook got: Slack-compatible JSON and the idempotency headers
        Receiver.Request sample = receiver.requests.stream().filter(r -> r.status == 200).findFirst().orElseThrow();
        JsonNode payload = JsonHttp.mapper().readTree(sample.body);
        assertThat(payload.path("channel").asText()).isEqualTo("#it-alarms");
        assertThat(payload.path("text").asText()).contains("IT-" + id + "/PUMP01/PRESS");
        assertThat(payload.path("blocks").isArray()).isTrue();
        assertThat(payload.path("blocks").toString()).contains("*Severity*", "*Limit*", "alert_id `" + sample.alertId());
        assertThat(sample.idempotencyKey).hasSize(32);
        assertThat(sample.contentType).startsWith("application/json");

        // the poison alert: on the dead-letter topic with the webhook's answer as the reason
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readUpTo(dlq, 1, Duration.ofSeconds(20));
        assertThat(dead).isNotEmpty();
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(poison.getAlertId().toString());
        assertThat(StackKafka.header(dead.get(0), "__connect.errors.exception.message")).contains("HTTP 400").contains("invalid_blocks");

        JsonNode status = connect.status(connector);
        assertThat(status.path("tasks").path(0).path("state").asText()).as("%s", status).isEqualTo("RUNNING");
        JsonHttp.Response stored = JsonHttp.get(connect.url("/connectors/" + connector + "/config"));
        assertThat(stored.body()).as("the stored config keeps the reference, not the URL").doesNotContain("s3cr3t" + id);

        // lose every committed offset: the records are read again and none may be posted again
        awaitCommitted(events.size() + 1, Duration.ofSeconds(60));
        assertThat(JsonHttp.put(connect.url("/connectors/" + connector + "/stop"), "").status()).isIn(202, 204);
        connect.awaitConnectorState(connector, "STOPPED", Duration.ofSeconds(60));
        JsonHttp.Response reset = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            reset = JsonHttp.delete(connect.url("/connectors/" + connector + "/offsets"));
            if (reset.status() == 200) {
                break;
            }
            Thread.sleep(1000); // the group may still be emptying
        }
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        int requestsBefore = receiver.requests.size();
        assertThat(JsonHttp.put(connect.url("/connectors/" + connector + "/resume"), "").status()).isIn(202, 204);
        connect.awaitTaskState(connector, ConnectRest.RUNNING, Duration.ofSeconds(60));
        awaitCommitted(events.size() + 1, Duration.ofSeconds(90));
        Thread.sleep(2000);
        assertExactlyOnceInOrder(events);
        // the only request after the reset is the poison one again (refusals are not remembered)
        assertThat(receiver.requests.subList(requestsBefore, receiver.requests.size()))
                .allMatch(r -> r.eventId.equals(eventId(poison)));
    }

    private void assertExactlyOnceInOrder(List<AlertEvent> events) {
        List<String> delivered = receiver.deliveredIds();
        assertThat(delivered).doesNotHaveDuplicates();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(events.stream().map(WebhookSinkIT::eventId).toList());
        // per alert (one key, one partition) in the order the transitions happened
        Map<String, List<String>> perAlert = new LinkedHashMap<>();
        for (String eventId : delivered) {
            perAlert.computeIfAbsent(eventId.substring(0, eventId.indexOf('/')), k -> new ArrayList<>())
                    .add(eventId.split("/")[1]);
        }
        assertThat(perAlert).hasSize(ALERTS);
        perAlert.forEach((alert, states) -> assertThat(states).as(alert).containsExactly("RAISED", "ESCALATED", "CLEARED"));
    }

    private static AlertEvent event(String alertId, AlertState state, Severity severity, Instant ts, Instant raisedAt) {
        return AlertEvent.newBuilder().setAlertId(alertId).setSite(alertId.substring(0, alertId.lastIndexOf('-')))
                .setLine("LINE1").setDevice("PUMP01").setTag("PRESS").setRuleId("default-hi").setKind(AlertKind.HIGH)
                .setSeverity(severity).setState(state).setValue(state == AlertState.CLEARED ? 9.1 : 12.5).setThreshold(10.0)
                .setTs(ts).setRaisedAt(raisedAt).setMessage("PRESS above 10 bar").build();
    }

    private static String eventId(AlertEvent event) {
        return event.getAlertId() + "/" + event.getState() + "/" + event.getTs().toEpochMilli();
    }

    /** Waits until the connector's consumer group has committed every record of the topic. */
    private void awaitCommitted(long records, Duration timeout) throws Exception {
        try (Admin admin = kafka.admin()) {
            await("offsets committed", () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + connector)
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                    return committed.values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum() >= records;
                } catch (Exception e) {
                    return false;
                }
            }, timeout);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
            assertThat(end).isEqualTo(records);
        }
    }

    private void await(String what, BooleanSupplier condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; status " + connect.status(connector)
                        + "; webhook saw " + receiver.requests.size() + " requests, " + receiver.deliveredIds().size() + " delivered");
            }
            Thread.sleep(250);
        }
    }

    /** A chat webhook on 127.0.0.1: records every request, fails first attempts as scripted. */
    static final class Receiver {
        record Request(String eventId, String idempotencyKey, String contentType, int status, String body) {
            String alertId() {
                return eventId.substring(0, eventId.indexOf('/'));
            }
        }

        final HttpServer server;
        final String path;
        final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
        final java.util.Set<String> alwaysRefuse = ConcurrentHashMap.newKeySet();
        final AtomicInteger sequence = new AtomicInteger();

        Receiver(String path) throws IOException {
            this.path = path;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        private void handle(HttpExchange exchange) throws IOException {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String eventId = exchange.getRequestHeaders().getFirst("X-Tagstream-Event-Id");
            int status;
            String answer = "ok";
            if (!"POST".equals(exchange.getRequestMethod()) || !exchange.getRequestURI().getPath().equals(path) || eventId == null) {
                status = 404;
                answer = "no_service";
            } else if (alwaysRefuse.contains(eventId)) {
                status = 400;
                answer = "invalid_blocks";
            } else if (failFirst.containsKey(eventId)) {
                int failure = failFirst.remove(eventId);
                status = failure;
                answer = failure == 429 ? "rate_limited" : "internal_error";
                if (failure == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                }
            } else {
                status = 200;
                try {
                    Thread.sleep(40); // a real webhook takes a moment: lets the restart land mid-stream
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            requests.add(new Request(eventId == null ? "" : eventId, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), status, body));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            sequence.incrementAndGet();
        }

        List<String> deliveredIds() {
            synchronized (requests) {
                return requests.stream().filter(r -> r.status == 200).map(Request::eventId).toList();
            }
        }

        long answered(int status) {
            synchronized (requests) {
                return requests.stream().filter(r -> r.status == status).count();
            }
        }
    }
}
