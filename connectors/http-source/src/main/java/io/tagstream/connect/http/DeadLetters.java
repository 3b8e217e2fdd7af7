package io.tagstream.connect.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the API sent but could not be ingested (error payloads, unmappable rows) to the dead-letter
 * topic: the original bytes as value, the reason and context in headers (ARCHITECTURE.md section 3). The
 * readings go through Connect's converter; these must not, so the task owns a small byte producer.
 */
final class DeadLetters implements AutoCloseable {

    static final String REASON = "tagstream.dlq.reason";
    static final String CONNECTOR = "tagstream.dlq.connector";
    static final String URL = "tagstream.dlq.url";
    static final String STATUS = "tagstream.dlq.http.status";
    static final String STREAM = "tagstream.dlq.stream";
    static final String WINDOW = "tagstream.dlq.window";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final String topic;
    private final String connector;
    private final KafkaProducer<byte[], byte[]> producer;

    DeadLetters(String topic, String bootstrapServers, String connector) {
        this.topic = topic;
        this.connector = connector;
        this.producer = topic.isBlank() ? null : new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "tagstream-http-source-dlq-" + connector,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    boolean enabled() {
        return producer != null;
    }

    /** Sends and waits, so a payload is on the topic before the task moves on. */
    void send(String stream, String url, int status, String window, String reason, byte[] payload) {
        if (producer == null) {
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, bytes(reason));
        headers.add(CONNECTOR, bytes(connector));
        headers.add(URL, bytes(url));
        headers.add(STATUS, bytes(Integer.toString(status)));
        headers.add(STREAM, bytes(stream));
        headers.add(WINDOW, bytes(window));
        try {
            producer.send(new ProducerRecord<>(topic, null, null, bytes(connector + "/" + stream), payload, headers)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the payload is also described in the task log; losing the copy must not stop ingestion
            LOG.warn("could not write to dead-letter topic {}: {}", topic, e.getMessage());
        }
    }

    private static byte[] bytes(String text) {
        return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
