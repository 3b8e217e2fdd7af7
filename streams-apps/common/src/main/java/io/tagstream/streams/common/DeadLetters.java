package io.tagstream.streams.common;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dead-letter record of a record that could not be read, processed or written: the original
 * key and value bytes as they were on the input topic, the original headers, and why, in
 * {@code tagstream.dlq.*} headers. The handlers return it to Kafka Streams, which writes it in the same
 * transaction as the rest of the task's output, so a record is dead-lettered exactly once.
 */
public final class DeadLetters {

    /** Key under which the dead-letter topic travels in the Streams properties. */
    public static final String TOPIC_CONFIG = "tagstream.dlq.topic";

    public static final String HEADER_REASON = "tagstream.dlq.reason";
    public static final String HEADER_EXCEPTION = "tagstream.dlq.exception";
    public static final String HEADER_MESSAGE = "tagstream.dlq.message";
    public static final String HEADER_APPLICATION = "tagstream.dlq.application";
    public static final String HEADER_TOPIC = "tagstream.dlq.source.topic";
    public static final String HEADER_PARTITION = "tagstream.dlq.source.partition";
    public static final String HEADER_OFFSET = "tagstream.dlq.source.offset";
    public static final String HEADER_PROCESSOR = "tagstream.dlq.processor";

    /** Which stage failed; the value of {@link #HEADER_REASON}. */
    public enum Reason { DESERIALIZATION, PROCESSING, SERIALIZATION, PRODUCTION }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_MESSAGE_CHARS = 2_000;

    private final String topic;
    private final String applicationId;
    private final AppMetrics metrics;

    private DeadLetters(String topic, String applicationId, AppMetrics metrics) {
        this.topic = topic;
        this.applicationId = applicationId;
        this.metrics = metrics;
    }

    /** From the configuration Kafka Streams hands to an error handler. */
    static DeadLetters from(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(TOPIC_CONFIG, topic, "the dead-letter error handlers need a dead-letter topic");
        }
        Object applicationId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        return new DeadLetters(topic.toString(), applicationId == null ? "" : applicationId.toString(), AppMetrics.from(configs));
    }

    ProducerRecord<byte[], byte[]> record(Reason reason, ErrorHandlerContext context, byte[] key, byte[] value,
                                          Headers originalHeaders, Exception exception) {
        metrics.deadLettered();
        // one line per dead-lettered record: rare by design, and the operator needs to know
        LOG.warn("dead-lettering record reason={} source={}-{}@{} processor={} dlq={} error=\"{}\"", reason,
                context.topic(), context.partition(), context.offset(), context.processorNodeId(), topic,
                exception.toString());
        RecordHeaders headers = new RecordHeaders();
        if (originalHeaders != null) {
            for (Header header : originalHeaders) {
                headers.add(header);
            }
        }
        headers.add(HEADER_REASON, utf8(reason.name()));
        headers.add(HEADER_EXCEPTION, utf8(exception.getClass().getName()));
        headers.add(HEADER_MESSAGE, utf8(message(exception)));
        headers.add(HEADER_APPLICATION, utf8(applicationId));
        headers.add(HEADER_TOPIC, utf8(String.valueOf(context.topic())));
        headers.add(HEADER_PARTITION, utf8(Integer.toString(context.partition())));
        headers.add(HEADER_OFFSET, utf8(Long.toString(context.offset())));
        headers.add(HEADER_PROCESSOR, utf8(String.valueOf(context.processorNodeId())));
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    private static String message(Exception exception) {
        StringBuilder text = new StringBuilder(String.valueOf(exception.getMessage()));
        for (Throwable cause = exception.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) : text.toString();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
