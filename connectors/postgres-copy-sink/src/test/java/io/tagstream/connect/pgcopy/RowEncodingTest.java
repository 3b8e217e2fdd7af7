package io.tagstream.connect.pgcopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** Records into binary COPY rows, byte by byte as PostgreSQL's COPY documentation lays them out. */
class RowEncodingTest {

    private static final Schema READING = SchemaBuilder.struct()
            .field("site", Schema.OPTIONAL_STRING_SCHEMA)
            .field("tag", Schema.STRING_SCHEMA)
            .field("ts", Timestamp.SCHEMA)
            .field("value", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("count", Schema.OPTIONAL_INT64_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("extra", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static TableLayout layout() {
        Map<String, TableLayout.Column> columns = new LinkedHashMap<>();
        columns.put("site", new TableLayout.Column("site", "text", ColumnType.TEXT, true));
        columns.put("tag", new TableLayout.Column("tag", "text", ColumnType.TEXT, true));
        columns.put("ts", new TableLayout.Column("ts", "timestamptz", ColumnType.TIMESTAMPTZ, true));
        columns.put("value", new TableLayout.Column("value", "float8", ColumnType.DOUBLE_PRECISION, false));
        columns.put("count", new TableLayout.Column("count", "int4", ColumnType.INTEGER, true));
        columns.put("note", new TableLayout.Column("note", "jsonb", ColumnType.JSONB, false));
        columns.put("ingested_at", new TableLayout.Column("ingested_at", "timestamptz", ColumnType.TIMESTAMPTZ, true));
        return new TableLayout("t.readings", columns, List.of("site", "tag", "ts"));
    }

    private static Struct reading(String site, Long count, Double value) {
        return new Struct(READING).put("site", site).put("tag", "P").put("ts", new Date(946_684_800_123L))
                .put("value", value).put("count", count).put("note", null).put("extra", "x");
    }

    @Test
    void writesEachValueInPostgresBinaryForm() {
        TableLayout.RecordColumns mapping = layout().mapping(READING);
        assertThat(mapping.names()).containsExactly("site", "tag", "ts", "value", "count", "note");
        assertThat(mapping.ignoredFields()).containsExactly("extra");
        CopyRows rows = new CopyRows(mapping.names());
        mapping.encode(reading("Ä1", 7L, 2.5), rows);

        ByteBuffer row = ByteBuffer.wrap(rows.buffer(), 0, rows.offsetOf(1));
        assertThat(row.getShort()).as("field count").isEqualTo((short) 6);
        assertThat(text(row)).isEqualTo("Ä1");
        assertThat(text(row)).isEqualTo("P");
        assertThat(row.getInt()).isEqualTo(8);
        assertThat(row.getLong()).as("microseconds since 2000-01-01").isEqualTo(123_000L);
        assertThat(row.getInt()).isEqualTo(8);
        assertThat(row.getDouble()).isEqualTo(2.5);
        assertThat(row.getInt()).isEqualTo(4);
        assertThat(row.getInt()).as("bigint field into an integer column").isEqualTo(7);
        assertThat(row.getInt()).as("NULL").isEqualTo(-1);
        assertThat(row.remaining()).isZero();
    }

    @Test
    void aValueThatDoesNotFitIsRefusedAndLeavesTheRowsAsTheyWere() {
        TableLayout.RecordColumns mapping = layout().mapping(READING);
        CopyRows rows = new CopyRows(mapping.names());
        mapping.encode(reading("A1", 1L, null), rows);
        int end = rows.offsetOf(1);

        assertThatThrownBy(() -> mapping.encode(reading("A1", 1L << 40, 1.0), rows))
                .hasMessageContaining("field count into t.readings.count (int4)").hasMessageContaining("out of range");
        assertThatThrownBy(() -> mapping.encode(reading(null, 1L, 1.0), rows)).hasMessageContaining("key column site is null");
        assertThatThrownBy(() -> mapping.encode(reading("A1", null, 1.0), rows)).hasMessageContaining("t.readings.count is NOT NULL");
        assertThat(rows.size()).isEqualTo(1);
        assertThat(rows.offsetOf(1)).isEqualTo(end);

        mapping.encode(reading("A2", 2L, Double.NaN), rows);
        assertThat(rows.size()).isEqualTo(2);
        assertThat(rows.offsetOf(1)).isEqualTo(end);
    }

    @Test
    void textJsonbTimestampsAndUuidsHaveTheirOwnLayouts() {
        CopyRows rows = new CopyRows(List.of("a", "b", "c", "d", "e"));
        rows.beginRow();
        ColumnType.JSONB.encode("{\"k\":1}", rows);
        ColumnType.DATE.encode(new Date(-86_400_000L), rows);
        ColumnType.UUID_TYPE.encode("00112233-4455-6677-8899-aabbccddeeff", rows);
        ColumnType.BOOLEAN.encode(true, rows);
        ColumnType.TEXT.encode(12.5, rows);
        rows.endRow();
        ByteBuffer row = ByteBuffer.wrap(rows.buffer(), 0, rows.offsetOf(1));
        row.getShort();
        assertThat(row.getInt()).isEqualTo(8);
        assertThat(row.get()).as("jsonb version").isEqualTo((byte) 1);
        byte[] json = new byte[7];
        row.get(json);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"k\":1}");
        assertThat(row.getInt()).isEqualTo(4);
        assertThat(row.getInt()).as("days since 2000-01-01 of 1969-12-31").isEqualTo(-10_958);
        assertThat(row.getInt()).isEqualTo(16);
        byte[] uuid = new byte[16];
        row.get(uuid);
        assertThat(uuid).startsWith((byte) 0x00, (byte) 0x11, (byte) 0x22).endsWith((byte) 0xee, (byte) 0xff);
        assertThat(row.getInt()).isEqualTo(1);
        assertThat(row.get()).isEqualTo((byte) 1);
        assertThat(text(row)).isEqualTo("12.5");

        assertThatThrownBy(() -> ColumnType.UUID_TYPE.encode("not-a-uuid", rows)).hasMessageContaining("is not a UUID");
        assertThatThrownBy(() -> ColumnType.BIGINT.encode(1.5, rows)).hasMessageContaining("a Double cannot be written");
        assertThatThrownBy(() -> ColumnType.TIMESTAMPTZ.encode("2026-01-01", rows)).hasMessageContaining("a String cannot be written");
    }

    @Test
    void theHeaderAndTrailerAreThoseOfTheBinaryFormat() {
        assertThat(Arrays.copyOf(CopyRows.HEADER, 11)).isEqualTo("PGCOPY\n\u00ff\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(CopyRows.HEADER).hasSize(19);
        assertThat(CopyRows.TRAILER).containsExactly((byte) 0xff, (byte) 0xff);
    }

    @Test
    void aRecordWithoutTheKeyOrAColumnTypeTheSinkCannotWriteIsNamed() {
        Schema noTag = SchemaBuilder.struct().field("site", Schema.STRING_SCHEMA).field("ts", Timestamp.SCHEMA).build();
        assertThatThrownBy(() -> layout().mapping(noTag)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key column tag is not among the record's fields");

        Map<String, TableLayout.Column> columns = new LinkedHashMap<>();
        columns.put("site", new TableLayout.Column("site", "text", ColumnType.TEXT, true));
        columns.put("amount", new TableLayout.Column("amount", "numeric", null, false));
        Schema money = SchemaBuilder.struct().field("site", Schema.STRING_SCHEMA).field("amount", Schema.FLOAT64_SCHEMA).build();
        assertThatThrownBy(() -> new TableLayout("t.money", columns, List.of("site")).mapping(money))
                .isInstanceOf(ConnectException.class).hasMessageContaining("t.money.amount has type numeric");
        assertThat(ColumnType.of("numeric", false)).isEmpty();
        assertThat(ColumnType.of("whatever", true)).contains(ColumnType.TEXT);
    }

    private static String text(ByteBuffer row) {
        byte[] bytes = new byte[row.getInt()];
        row.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
