package io.tagstream.alerts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * ops.thresholds records shaped like Debezium writes them (flattened row plus {@code __op} and
 * {@code __source_ts_ms}, key = {@code {rule_id}}), in plain Avro binary for tests without a registry.
 */
final class DebeziumThresholds {

    static final Schema KEY = SchemaBuilder.record("Key").namespace("cdc.ops.thresholds").fields()
            .requiredString("rule_id").endRecord();
    static final Schema VALUE = SchemaBuilder.record("Value").namespace("cdc.ops.thresholds").fields()
            .requiredString("rule_id")
            .requiredString("site").requiredString("device").requiredString("tag")
            .optionalDouble("warning_high").optionalDouble("warning_low")
            .optionalDouble("critical_high").optionalDouble("critical_low")
            .requiredDouble("hysteresis").requiredLong("on_delay_ms").requiredLong("clear_delay_ms")
            .optionalLong("stale_after_ms").optionalLong("bad_quality_after_ms")
            .requiredBoolean("enabled")
            .optionalString("updated_at")
            .optionalString("__op").optionalLong("__source_ts_ms")
            .endRecord();

    private DebeziumThresholds() {
    }

    /** A row with every limit null, scope *, enabled; set fields with {@link GenericRecord#put}. */
    static GenericRecord row(String ruleId, String site, String device, String tag) {
        GenericRecord row = new GenericData.Record(VALUE);
        row.put("rule_id", ruleId);
        row.put("site", site);
        row.put("device", device);
        row.put("tag", tag);
        row.put("hysteresis", 0.0);
        row.put("on_delay_ms", 0L);
        row.put("clear_delay_ms", 0L);
        row.put("enabled", true);
        row.put("updated_at", "2026-11-30T08:00:00Z");
        row.put("__op", "c");
        row.put("__source_ts_ms", 1L);
        return row;
    }

    static byte[] key(String ruleId) {
        GenericRecord key = new GenericData.Record(KEY);
        key.put("rule_id", ruleId);
        return encode(key);
    }

    static byte[] encode(GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Deserializer<Object> deserializer(Schema schema) {
        GenericDatumReader<Object> reader = new GenericDatumReader<>(schema);
        return (topic, bytes) -> {
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException e) {
                throw new org.apache.kafka.common.errors.SerializationException(e);
            }
        };
    }
}
