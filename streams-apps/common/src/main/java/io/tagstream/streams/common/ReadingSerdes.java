package io.tagstream.streams.common;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.apicurio.registry.resolver.SchemaResolverConfig;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.tagstream.schema.Reading;

/**
 * The value serde of every telemetry topic: Apicurio's Avro serde set up to write and read Confluent's
 * wire format (magic byte, 4-byte content id, Avro binary; no headers), as ARCHITECTURE.md section 8
 * verified. Serde instances handed to Kafka Streams are not configured by it, so this configures them.
 * Writing takes a fast path after the first record per topic ({@link ConfluentReadingSerializer}), reading
 * for records written with the compiled Reading schema ({@link ConfluentReadingDeserializer}).
 */
public final class ReadingSerdes {

    private ReadingSerdes() {
    }

    public static Map<String, Object> apicurioConfig(String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registryUrl);
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        // A busy or restarting registry must not fail records whose schema is known: on a failed refresh
        // of a cached entry (ids and their schemas never change) keep the cached one. A registry answering
        // "too many requests" is waited out (10 x 500 ms); serde 2.6.13 retries only that answer
        // (ERCache), other errors surface at once.
        config.put(SchemaResolverConfig.FAULT_TOLERANT_REFRESH, true);
        config.put(SerdeConfig.RETRY_COUNT, 10L);
        config.put(SerdeConfig.RETRY_BACKOFF_MS, 500L);
        return config;
    }

    /** Value serde for Readings through the registry at {@code registryUrl}. */
    public static Serde<Reading> reading(String registryUrl) {
        Map<String, Object> config = apicurioConfig(registryUrl);
        AvroKafkaSerializer<Reading> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        AvroKafkaDeserializer<Reading> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, false);
        return Serdes.serdeFrom(new ConfluentReadingSerializer(serializer),
                new ConfluentReadingDeserializer(deserializer, registryUrl));
    }
}
