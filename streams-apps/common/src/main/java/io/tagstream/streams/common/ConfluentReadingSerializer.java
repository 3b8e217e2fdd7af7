package io.tagstream.streams.common;

import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import io.tagstream.schema.Reading;

/**
 * Writes Readings in Confluent wire format (magic byte 0, 4-byte content id, Avro binary). The first record
 * of each topic goes through Apicurio's serializer, which registers the schema under the topic's subject and
 * returns the id; later records reuse that id and encode directly. The bytes are the same; Apicurio's
 * serializer renders the schema as JSON on every call, which costs more than everything else a deadband
 * record needs.
 */
final class ConfluentReadingSerializer implements Serializer<Reading> {

    private final Serializer<Reading> registering;
    private final ConcurrentHashMap<String, Integer> idByTopic = new ConcurrentHashMap<>();

    ConfluentReadingSerializer(Serializer<Reading> registering) {
        this.registering = registering;
    }

    @Override
    public byte[] serialize(String topic, Reading reading) {
        if (reading == null) {
            return null;
        }
        Integer id = idByTopic.get(topic);
        if (id == null) {
            byte[] bytes = registering.serialize(topic, reading);
            if (bytes == null || bytes.length < 5 || bytes[0] != 0) {
                throw new SerializationException("the registry serializer did not write Confluent wire format for topic "
                        + topic + "; check apicurio.registry.as-confluent");
            }
            idByTopic.put(topic, ReadingCodec.readInt(bytes, 1));
            return bytes;
        }
        return ReadingCodec.output(128).writeByte(0).writeInt(id).write(reading).bytes();
    }

    @Override
    public void close() {
        registering.close();
    }
}
