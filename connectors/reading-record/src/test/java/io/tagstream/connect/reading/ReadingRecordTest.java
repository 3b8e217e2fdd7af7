package io.tagstream.connect.reading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.tagstream.connect.reading.ReadingRecord.Quality;
import io.tagstream.schema.Reading;

/** The Connect form converts, as the worker's converter does, into records a Reading consumer reads. */
class ReadingRecordTest {

    private static final AvroData AVRO = new AvroData(new AvroDataConfig(
            Map.of(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true)));

    @Test
    void theConvertedSchemaIsReadableAsTheContract() {
        Schema written = AVRO.fromConnectSchema(ReadingRecord.SCHEMA);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(Reading.getClassSchema(), written).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(written.getField("quality").schema().getType()).isEqualTo(Schema.Type.ENUM);
    }

    @Test
    void aGoodSampleArrivesWithItsValue() throws IOException {
        Instant ts = Instant.parse("2026-11-30T01:02:03.456Z");
        Reading reading = roundTrip(ReadingRecord.measured(ts, "A1", "L1", "PLC1", "temp", 21.5, "°C", Quality.GOOD, "modbus"));
        assertThat(reading.getTs()).isEqualTo(ts);
        assertThat(reading.getValue()).isEqualTo(21.5);
        assertThat(reading.getQuality().name()).isEqualTo("GOOD");
        assertThat(reading.getOrigin().name()).isEqualTo("MEASURED");
        assertThat(reading.getImputation()).isNull();
        assertThat(reading.getLine()).isEqualTo("L1");
    }

    @Test
    void aBadSampleNeverCarriesAValue() throws IOException {
        Reading reading = roundTrip(ReadingRecord.measured(Instant.EPOCH, "A1", null, "PLC1", "temp", 99.0, null, Quality.BAD, "modbus"));
        assertThat(reading.getValue()).isNull();
        assertThat(reading.getQuality().name()).isEqualTo("BAD");
        assertThat(reading.getLine()).isNull();
    }

    @Test
    void theKeyIsSiteDeviceTag() {
        assertThat(ReadingRecord.key("A1", "PLC1", "temp")).isEqualTo("A1/PLC1/temp");
    }

    private static Reading roundTrip(Struct struct) throws IOException {
        Schema written = AVRO.fromConnectSchema(ReadingRecord.SCHEMA);
        GenericRecord record = (GenericRecord) AVRO.fromConnectData(ReadingRecord.SCHEMA, struct);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(written).write(record, encoder);
        encoder.flush();
        return new SpecificDatumReader<Reading>(written, Reading.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }
}
