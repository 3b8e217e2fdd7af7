package io.tagstream.streams.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.tagstream.schema.Imputation;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.TestIds;

/** The serde's fast path writes exactly the bytes Apicurio's serializer writes, and registers the subject. */
class ReadingSerdesIT {

    @Test
    void fastPathBytesEqualTheRegistrySerializersAndRoundTrip() throws Exception {
        StackEndpoints stack = SharedStack.get();
        String topic = "it-serde-" + TestIds.next();
        Serde<Reading> serde = ReadingSerdes.reading(stack.registryApiUrl());
        AvroKafkaSerializer<Reading> apicurio = new AvroKafkaSerializer<>();
        apicurio.configure(ReadingSerdes.apicurioConfig(stack.registryApiUrl()), false);

        List<Reading> readings = new ArrayList<>();
        readings.add(reading(1, 4.25, Quality.GOOD, Origin.MEASURED, null, "bar", "L1"));
        readings.add(reading(2, null, Quality.BAD, Origin.MEASURED, null, null, null));
        readings.add(reading(3, Double.NaN, Quality.UNCERTAIN, Origin.IMPUTED, Imputation.LINEAR, "°C", "Linie 1"));
        readings.add(reading(4, -0.0, Quality.UNCERTAIN, Origin.IMPUTED, Imputation.LOCF, "", ""));
        for (Reading reading : readings) {
            byte[] fast = serde.serializer().serialize(topic, reading);
            assertThat(fast).isEqualTo(apicurio.serialize(topic, reading));
            assertThat(serde.deserializer().deserialize(topic, fast)).isEqualTo(reading);
        }
        JsonHttp.Response subject = JsonHttp.get(stack.confluentCompatibleUrl() + "/subjects/" + topic + "-value/versions");
        assertThat(subject.status()).as("subject registered: %s", subject.body()).isEqualTo(200);
    }

    @Test
    void recordsWrittenWithAnotherSchemaVersionAreResolvedThroughTheRegistry() throws Exception {
        StackEndpoints stack = SharedStack.get();
        String topic = "it-serde-evolved-" + TestIds.next();
        // a newer producer: Reading plus an optional field (BACKWARD compatible), so another content id
        Schema evolved = new Schema.Parser().parse(Reading.getClassSchema().toString().replace("{\"name\":\"source\"",
                "{\"name\":\"zone\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"source\""));
        Reading expected = reading(7, 1.5, Quality.GOOD, Origin.MEASURED, null, "bar", "L1");
        GenericRecord record = new GenericData.Record(evolved);
        record.put("ts", expected.getTs().toEpochMilli());
        for (String field : List.of("site", "line", "device", "tag", "value", "unit", "source")) {
            record.put(field, expected.get(field));
        }
        record.put("quality", new GenericData.EnumSymbol(evolved.getField("quality").schema(), "GOOD"));
        record.put("origin", new GenericData.EnumSymbol(evolved.getField("origin").schema(), "MEASURED"));
        record.put("imputation", null);
        record.put("zone", "north");
        AvroKafkaSerializer<GenericRecord> newer = new AvroKafkaSerializer<>();
        newer.configure(ReadingSerdes.apicurioConfig(stack.registryApiUrl()), false);
        byte[] bytes = newer.serialize(topic, record);

        Serde<Reading> serde = ReadingSerdes.reading(stack.registryApiUrl());
        byte[] compiled = serde.serializer().serialize(topic + "-compiled", expected);
        assertThat(ReadingCodec.readInt(bytes, 1)).as("another content id").isNotEqualTo(ReadingCodec.readInt(compiled, 1));
        assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(expected);
    }

    private static Reading reading(long ts, Double value, Quality quality, Origin origin, Imputation imputation, String unit,
                                   String line) {
        return Reading.newBuilder().setTs(Instant.ofEpochMilli(ts)).setSite("S").setLine(line).setDevice("D").setTag("T")
                .setValue(value).setUnit(unit).setQuality(quality).setOrigin(origin).setImputation(imputation)
                .setSource("it").build();
    }
}
