package io.tagstream.alerts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.tagstream.schema.AlertEvent;

/** Avro binary AlertEvents without a registry, for TopologyTestDriver tests. */
final class PlainAlertEventSerde {

    private PlainAlertEventSerde() {
    }

    static Serde<AlertEvent> create() {
        SpecificDatumWriter<AlertEvent> writer = new SpecificDatumWriter<>(AlertEvent.class);
        SpecificDatumReader<AlertEvent> reader = new SpecificDatumReader<>(AlertEvent.class);
        return Serdes.serdeFrom((topic, event) -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                writer.write(event, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, (topic, bytes) -> {
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
