package io.tagstream.alerts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.tagstream.schema.Reading;

/**
 * Avro binary Readings without a registry, for TopologyTestDriver tests (the registry serde needs a live
 * registry; the integration test covers it). Bytes that are not a Reading fail to deserialize, like
 * they would with the real serde.
 */
final class PlainReadingSerde {

    private PlainReadingSerde() {
    }

    static Serde<Reading> create() {
        SpecificDatumWriter<Reading> writer = new SpecificDatumWriter<>(Reading.class);
        SpecificDatumReader<Reading> reader = new SpecificDatumReader<>(Reading.class);
        return Serdes.serdeFrom((topic, reading) -> {
            if (reading == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                writer.write(reading, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
                Reading reading = reader.read(null, decoder);
                if (!decoder.isEnd()) {
                    throw new IOException("trailing bytes after a Reading");
                }
                return reading;
            } catch (IOException | RuntimeException e) {
                throw new org.apache.kafka.common.errors.SerializationException("not a Reading", e);
            }
        });
    }
}
