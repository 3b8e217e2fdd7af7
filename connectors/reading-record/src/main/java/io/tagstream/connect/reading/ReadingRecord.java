package io.tagstream.connect.reading;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The Connect form of the Avro contract io.tagstream.schema.Reading (schemas/src/main/avro/Reading.avsc),
 * as the source connectors write it to telemetry.raw.
 *
 * <p>Enums are Connect strings carrying the parameters the Apicurio (Confluent-derived) AvroData turns back
 * into Avro enums of the same full name, so a consumer reads the records as io.tagstream.schema.Reading;
 * optional fields become ["null", T] unions. The converter only honours those parameters with
 * {@code value.converter.enhanced.avro.schema.support=true}; without it quality and origin are written as
 * Avro strings and a Reading reader fails ("Found string, expecting io.tagstream.schema.Quality"), so every
 * source connector config sets it.
 */
public final class ReadingRecord {

    /** Parameter name of io.apicurio.registry.utils.converter.avro.AvroData (Confluent's convention). */
    private static final String ENUM = "io.confluent.connect.avro.Enum";

    /** Quality of a measured sample; UNCERTAIN is for derived data (imputation), never written by a source. */
    public enum Quality { GOOD, UNCERTAIN, BAD }

    public static final Schema QUALITY = enumeration("io.tagstream.schema.Quality", "GOOD", "UNCERTAIN", "BAD").build();
    public static final Schema ORIGIN = enumeration("io.tagstream.schema.Origin", "MEASURED", "IMPUTED").build();
    public static final Schema IMPUTATION = enumeration("io.tagstream.schema.Imputation", "LOCF", "LINEAR").optional().build();

    public static final Schema SCHEMA = SchemaBuilder.struct()
            .name("io.tagstream.schema.Reading")
            .doc("One sample of one tag. Key of every telemetry topic: site/device/tag.")
            .field("ts", Timestamp.SCHEMA)
            .field("site", Schema.STRING_SCHEMA)
            .field("line", Schema.OPTIONAL_STRING_SCHEMA)
            .field("device", Schema.STRING_SCHEMA)
            .field("tag", Schema.STRING_SCHEMA)
            .field("value", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("unit", Schema.OPTIONAL_STRING_SCHEMA)
            .field("quality", QUALITY)
            .field("origin", ORIGIN)
            .field("imputation", IMPUTATION)
            .field("source", Schema.STRING_SCHEMA)
            .build();

    private ReadingRecord() {
    }

    private static SchemaBuilder enumeration(String name, String... symbols) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(ENUM, name);
        for (String symbol : symbols) {
            parameters.put(ENUM + "." + symbol, symbol);
        }
        return SchemaBuilder.string().name(name).parameters(parameters);
    }

    /** The record key of every telemetry topic (ARCHITECTURE.md §3). */
    public static String key(String site, String device, String tag) {
        return site + "/" + device + "/" + tag;
    }

    /**
     * A measured sample as a source reads it. A BAD sample carries no value: the platform never stores a
     * number it did not read.
     */
    public static Struct measured(Instant ts, String site, String line, String device, String tag,
                                  Double value, String unit, Quality quality, String source) {
        Objects.requireNonNull(quality, "quality");
        return new Struct(SCHEMA)
                .put("ts", Date.from(ts))
                .put("site", site)
                .put("line", line)
                .put("device", device)
                .put("tag", tag)
                .put("value", quality == Quality.BAD ? null : value)
                .put("unit", unit)
                .put("quality", quality.name())
                .put("origin", "MEASURED")
                .put("imputation", null)
                .put("source", source);
    }
}
