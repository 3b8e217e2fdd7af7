package io.tagstream.streams.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import io.tagstream.schema.Imputation;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;

class ReadingCodecTest {

    /**
     * If this fails, the Reading schema changed: update ReadingCodec's write and read to match, then this list.
     * Parsing canonical forms: what decides the bytes on the wire (the timestamp-millis logical type is checked
     * separately).
     */
    @Test
    void codecCoversExactlyTheCompiledSchema() {
        List<String> fields = new ArrayList<>();
        for (Schema.Field field : Reading.getClassSchema().getFields()) {
            fields.add(field.name() + ":" + SchemaNormalization.toParsingForm(field.schema()));
        }
        assertThat(fields).containsExactly(
                "ts:\"long\"",
                "site:\"string\"",
                "line:[\"null\",\"string\"]",
                "device:\"string\"",
                "tag:\"string\"",
                "value:[\"null\",\"double\"]",
                "unit:[\"null\",\"string\"]",
                "quality:{\"name\":\"io.tagstream.schema.Quality\",\"type\":\"enum\",\"symbols\":[\"GOOD\",\"UNCERTAIN\",\"BAD\"]}",
                "origin:{\"name\":\"io.tagstream.schema.Origin\",\"type\":\"enum\",\"symbols\":[\"MEASURED\",\"IMPUTED\"]}",
                "imputation:[\"null\",{\"name\":\"io.tagstream.schema.Imputation\",\"type\":\"enum\",\"symbols\":[\"LOCF\",\"LINEAR\"]}]",
                "source:\"string\"");
        assertThat(Reading.getClassSchema().getField("ts").schema().getLogicalType().getName()).isEqualTo("timestamp-millis");
    }

    @Test
    void writesTheBytesAvrosDatumWriterWritesAndReadsThemBack() throws Exception {
        Random random = new Random(7);
        SpecificDatumWriter<Reading> avro = new SpecificDatumWriter<>(Reading.class);
        Double[] values = {null, 0.0, -0.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        String[] texts = {null, "", "bar", "°C", "Linie 1 / Öl", "x".repeat(300)};
        for (int i = 0; i < 500; i++) {
            Reading reading = Reading.newBuilder()
                    .setTs(Instant.ofEpochMilli(random.nextLong() % 4_000_000_000_000L))
                    .setSite("S" + random.nextInt(1000)).setLine(texts[random.nextInt(texts.length)])
                    .setDevice("D" + i).setTag(i % 2 == 0 ? "T" : "Temperatur Ü")
                    .setValue(values[random.nextInt(values.length)]).setUnit(texts[random.nextInt(texts.length)])
                    .setQuality(Quality.values()[random.nextInt(3)]).setOrigin(Origin.values()[random.nextInt(2)])
                    .setImputation(random.nextBoolean() ? null : Imputation.values()[random.nextInt(2)])
                    .setSource("src" + random.nextInt(5)).build();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(expected, null);
            avro.write(reading, encoder);
            byte[] ours = ReadingCodec.output(64).write(reading).bytes();
            assertThat(ours).isEqualTo(expected.toByteArray());
            assertThat(ReadingCodec.read(ReadingCodec.decoder(ours, 0, ours.length))).isEqualTo(reading);
        }
    }

    @Test
    void rejectsBytesThatAreNotAReading() {
        byte[] bytes = {2, 2, 'S', 4, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> ReadingCodec.read(ReadingCodec.decoder(bytes, 0, bytes.length)))
                .hasRootCauseMessage("union branch 2 out of range");
    }
}
