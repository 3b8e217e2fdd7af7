package io.tagstream.aggregation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.tagstream.schema.Aggregate;
import io.tagstream.streams.common.ReadingSerdes;

/**
 * The value serde of the aggregate topics: Apicurio's Avro serde in Confluent wire format, set up like the
 * Reading serde ({@link ReadingSerdes#apicurioConfig}). Writing goes through Apicurio's serializer for the
 * first record of each topic (which registers the schema and yields its id) and then encodes with a cached
 * datum writer: Apicurio's serializer renders the schema as JSON on every call.
 */
public final class AggregateSerdes {

    private AggregateSerdes() {
    }

    public static Serde<Aggregate> aggregate(String registryUrl) {
        Map<String, Object> config = ReadingSerdes.apicurioConfig(registryUrl);
        AvroKafkaSerializer<Aggregate> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        AvroKafkaDeserializer<Aggregate> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, false);
        return Serdes.serdeFrom(new ConfluentAggregateSerializer(serializer), deserializer);
    }

    /** Confluent wire format: magic byte 0, 4-byte schema (content) id, Avro binary. */
    static final class ConfluentAggregateSerializer implements Serializer<Aggregate> {

        private final Serializer<Aggregate> registering;
        private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();
        private final SpecificDatumWriter<Aggregate> writer = new SpecificDatumWriter<>(Aggregate.class);

        ConfluentAggregateSerializer(Serializer<Aggregate> registering) {
            this.registering = registering;
        }

        @Override
        public byte[] serialize(String topic, Aggregate aggregate) {
            if (aggregate == null) {
                return null;
            }
            Integer id = idByTopic.get(topic);
            if (id == null) {
                byte[] bytes = registering.serialize(topic, aggregate);
                if (bytes == null || bytes.length < 5 || bytes[0] != 0) {
                    throw new SerializationException("the registry serializer did not write Confluent wire format for "
                            + "topic " + topic + "; check apicurio.registry.as-confluent");
                }
                idByTopic.put(topic, ByteBuffer.wrap(bytes, 1, 4).getInt());
                return bytes;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(160);
                out.write(0);
                out.write(ByteBuffer.allocate(4).putInt(id).array());
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                synchronized (writer) {
                    writer.write(aggregate, encoder);
                }
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode an aggregate", e);
            }
        }

        @Override
        public void close() {
            registering.close();
        }
    }
}
