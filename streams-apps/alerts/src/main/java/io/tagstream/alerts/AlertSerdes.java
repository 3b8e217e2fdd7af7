package io.tagstream.alerts;

import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.tagstream.schema.AlertEvent;
import io.tagstream.streams.common.ReadingSerdes;

/** Registry serdes of the alerts app, in Confluent wire format like every Tagstream topic. */
public final class AlertSerdes {

    private AlertSerdes() {
    }

    /** Value serde of alerts.events. */
    public static Serde<AlertEvent> alertEvent(String registryUrl) {
        Map<String, Object> config = ReadingSerdes.apicurioConfig(registryUrl);
        AvroKafkaSerializer<AlertEvent> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        AvroKafkaDeserializer<AlertEvent> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, false);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * Reads Debezium's records (key or value) as GenericRecords with the writer's schema from the registry:
     * there are no compiled classes for the database rows.
     */
    public static Deserializer<Object> generic(String registryUrl, boolean isKey) {
        Map<String, Object> config = ReadingSerdes.apicurioConfig(registryUrl);
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, false);
        AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, isKey);
        return deserializer;
    }
}
