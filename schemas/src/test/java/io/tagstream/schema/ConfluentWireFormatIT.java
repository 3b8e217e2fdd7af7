package io.tagstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * Readings go through the real broker and registry in Confluent's wire format (magic byte 0, 4-byte
 * schema id, Avro binary), and the id resolves through the registry's Confluent-compatible API, so any
 * Confluent-format consumer can read our topics.
 */
class ConfluentWireFormatIT {

    private static final String TOPIC = "telemetry.raw";
    private static StackEndpoints stack;
    /** With the serde settings every Tagstream producer and consumer uses (ARCHITECTURE.md section 8). */
    private static StackKafka kafka;

    @BeforeAll
    static void stack() {
        stack = SharedStack.get();
        kafka = new StackKafka(stack);
    }

    @Test
    void readingsRoundTripInConfluentWireFormat() throws Exception {
        String site = "IT-" + TestIds.next();
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        List<Reading> sent = List.of(
                reading(site, "PUMP01", "PRESS", now, 4.25, Quality.GOOD, "bar"),
                reading(site, "PUMP01", "TEMP", now, -12.5, Quality.GOOD, "degC"),
                reading(site, "PUMP02", "PRESS", now.plusMillis(1000), null, Quality.BAD, null));

        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<String, Reading> producer = kafka.producer(kafka.<Reading>avroSerializer())) {
            for (Reading reading : sent) {
                String key = reading.getSite() + "/" + reading.getDevice() + "/" + reading.getTag();
                written.add(producer.send(new ProducerRecord<>(TOPIC, key, reading)).get());
            }
        }

        // 1. the bytes on the topic: magic byte 0 and a schema id the Confluent-compatible API resolves
        List<ConsumerRecord<String, byte[]>> raw = read(written, new ByteArrayDeserializer());
        assertThat(raw).hasSize(sent.size());
        Schema readingSchema = Reading.getClassSchema();
        for (ConsumerRecord<String, byte[]> record : raw) {
            ByteBuffer bytes = ByteBuffer.wrap(record.value());
            assertThat(bytes.get()).as("magic byte").isEqualTo((byte) 0);
            int schemaId = bytes.getInt();
            assertThat(record.headers().toArray()).as("no Apicurio headers: the id travels in the payload").isEmpty();

            JsonHttp.Response response = JsonHttp.get(stack.confluentCompatibleUrl() + "/schemas/ids/" + schemaId);
            assertThat(response.status()).as("GET /schemas/ids/%d: %s", schemaId, response.body()).isEqualTo(200);
            Schema registered = new Schema.Parser().parse(response.json().path("schema").asText());
            assertThat(registered).isEqualTo(readingSchema);
        }
        JsonHttp.Response versions = JsonHttp.get(stack.confluentCompatibleUrl() + "/subjects/" + TOPIC + "-value/versions");
        assertThat(versions.status()).as("subject %s-value: %s", TOPIC, versions.body()).isEqualTo(200);

        // 2. decoded back with the same serde: equal to what was sent, keys site/device/tag
        List<ConsumerRecord<String, Object>> decoded = read(written, kafka.avroDeserializer());
        assertThat(decoded).extracting(ConsumerRecord::value).containsExactlyElementsOf(new ArrayList<>(sent));
        assertThat(decoded).extracting(ConsumerRecord::key)
                .containsExactly(site + "/PUMP01/PRESS", site + "/PUMP01/TEMP", site + "/PUMP02/PRESS");
    }

    @Test
    void registryRejectsBackwardIncompatibleChangesAndAcceptsCompatibleOnes() throws Exception {
        String subject = "it-compat-" + TestIds.next() + "-value";
        String url = stack.confluentCompatibleUrl() + "/subjects/" + subject + "/versions";
        String v1 = Reading.getClassSchema().toString();
        assertThat(JsonHttp.post(url, schemaBody(v1)).status()).isEqualTo(200);

        // a new required field: old records could not be read
        String breaking = v1.replace("{\"name\":\"source\"", "{\"name\":\"zone\",\"type\":\"string\"},{\"name\":\"source\"");
        JsonHttp.Response rejected = JsonHttp.post(url, schemaBody(breaking));
        assertThat(rejected.status()).as("incompatible schema must be refused: %s", rejected.body()).isEqualTo(409);

        String compatible = v1.replace("{\"name\":\"source\"",
                "{\"name\":\"zone\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"source\"");
        JsonHttp.Response accepted = JsonHttp.post(url, schemaBody(compatible));
        assertThat(accepted.status()).as("optional field with default: %s", accepted.body()).isEqualTo(200);
    }

    private static String schemaBody(String schema) throws Exception {
        return JsonHttp.mapper().writeValueAsString(Map.of("schema", schema));
    }

    private static <V> List<ConsumerRecord<String, V>> read(List<RecordMetadata> written,
                                                             org.apache.kafka.common.serialization.Deserializer<V> valueDeserializer) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = kafka.consumer(new StringDeserializer(), valueDeserializer)) {
            for (RecordMetadata metadata : written) {
                TopicPartition partition = new TopicPartition(metadata.topic(), metadata.partition());
                consumer.assign(List.of(partition));
                consumer.seek(partition, metadata.offset());
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                ConsumerRecord<String, V> found = null;
                while (found == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() == metadata.offset()) {
                            found = record;
                        }
                    }
                }
                assertThat(found).as("record at %s", metadata).isNotNull();
                out.add(found);
            }
        }
        return out;
    }

    private static Reading reading(String site, String device, String tag, Instant ts, Double value, Quality quality,
                                   String unit) {
        return Reading.newBuilder()
                .setTs(ts).setSite(site).setLine("LINE1").setDevice(device).setTag(tag)
                .setValue(value).setUnit(unit).setQuality(quality)
                .setOrigin(Origin.MEASURED).setImputation(null).setSource("it")
                .build();
    }

}
