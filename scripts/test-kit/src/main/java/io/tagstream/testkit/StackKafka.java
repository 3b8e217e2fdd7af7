package io.tagstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.tagstream.stack.StackEndpoints;

/**
 * The shared stack's broker and registry as integration tests use them: topics of their own, producers
 * and consumers with the platform's Avro serde settings ({@link StackEndpoints#avroSerdeConfig()}), and
 * reading a topic until a number of records arrived.
 */
public final class StackKafka {

    private static final Duration POLL = Duration.ofMillis(200);
    /** How long {@link #consumeExactly} waits for the records it expects. */
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(60);
    /** How long it goes on reading after that, so that a record too many (a duplicate) shows. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final StackEndpoints stack;

    public StackKafka(StackEndpoints stack) {
        this.stack = stack;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    /** Creates topics with this many partitions each (replication factor 1: the stack has one broker). */
    public void createTopics(int partitions, String... names) throws Exception {
        createTopics(Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList());
    }

    public void createTopics(Collection<NewTopic> topics) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Creates the topic unless it exists already (a platform topic another test or the stack may have made). */
    public void createTopicIfMissing(NewTopic topic) throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic.name())) {
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Deletes the topics named and every topic whose name starts with one of the prefixes (e.g. Streams' internal ones). */
    public void deleteTopics(Collection<String> names, String... prefixes) throws Exception {
        try (Admin admin = admin()) {
            Set<String> doomed = new java.util.HashSet<>(names);
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (Arrays.stream(prefixes).anyMatch(topic::startsWith)) {
                    doomed.add(topic);
                }
            }
            admin.deleteTopics(doomed).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until a topic someone else creates (a connector, with topic.creation) exists. */
    public void awaitTopic(String topic, Duration timeout) {
        try (Admin admin = admin()) {
            Awaitility.await("topic " + topic + " created").atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .until(() -> admin.listTopics().names().get().contains(topic));
        }
    }

    /** A producer of string keys; values through the serializer given. */
    public <V> KafkaProducer<String, V> producer(Serializer<V> values) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), values);
    }

    /** Sends the records in order, each acknowledged before the next goes. */
    public <V> void send(Serializer<V> values, List<ProducerRecord<String, V>> records) throws Exception {
        try (KafkaProducer<String, V> producer = producer(values)) {
            for (ProducerRecord<String, V> record : records) {
                producer.send(record).get();
            }
        }
    }

    /** Sends bytes as they are: what no serializer of ours would write (garbage for dead-letter tests). */
    public void sendRaw(String topic, String key, byte[] value) throws Exception {
        send(new ByteArraySerializer(), List.of(new ProducerRecord<>(topic, key, value)));
    }

    /** A consumer in a group of its own, from the earliest offset, of committed records only. */
    public <K, V> KafkaConsumer<K, V> consumer(Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + TestIds.next());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, keys, values);
    }

    /**
     * Reads the topic from the start until {@code count} records arrived (within 60 s), then a second
     * longer to catch extras, and asserts that exactly {@code count} are there.
     */
    public <V> List<ConsumerRecord<String, V>> consumeExactly(String topic, int count, Deserializer<V> values) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = consumer(new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            pollUntil(consumer, records, count, CONSUME_TIMEOUT);
            long settle = System.nanoTime() + SETTLE.toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(POLL).forEach(records::add);
            }
        }
        assertThat(records).as("records on %s", topic).hasSize(count);
        return records;
    }

    /** {@link #consumeExactly(String, int, Deserializer)} of the values as bytes. */
    public List<ConsumerRecord<String, byte[]>> consumeExactly(String topic, int count) {
        return consumeExactly(topic, count, new ByteArrayDeserializer());
    }

    /** Reads the topic from the start until {@code count} records arrived or the time is up; asserts nothing. */
    public List<ConsumerRecord<byte[], byte[]>> readUpTo(String topic, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            pollUntil(consumer, records, count, timeout);
        }
        return records;
    }

    /** Polls into {@code into} until it holds {@code count} records or the time is up. */
    public static <K, V> void pollUntil(Consumer<K, V> consumer, List<ConsumerRecord<K, V>> into, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (into.size() < count && System.nanoTime() < deadline) {
            consumer.poll(POLL).forEach(into::add);
        }
    }

    /** The last value of a header as UTF-8 text, null without one. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Apicurio's Avro serializer with the platform's settings: Confluent wire format, registered on first use. */
    public <T> AvroKafkaSerializer<T> avroSerializer() {
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
        serializer.configure(stack.avroSerdeConfig(), false); // a serde handed to a client is not configured by it
        return serializer;
    }

    /** Apicurio's Avro deserializer with the platform's settings, to the generated classes (e.g. Reading). */
    public <T> AvroKafkaDeserializer<T> avroDeserializer() {
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(stack.avroSerdeConfig(), false);
        return deserializer;
    }

    /** The same, to GenericRecords: for records that have no Java classes here (Debezium's keys and values). */
    public AvroKafkaDeserializer<Object> genericAvroDeserializer(boolean forKeys) {
        Map<String, Object> config = stack.avroSerdeConfig();
        config.put("apicurio.registry.use-specific-avro-reader", false);
        AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, forKeys);
        return deserializer;
    }
}
