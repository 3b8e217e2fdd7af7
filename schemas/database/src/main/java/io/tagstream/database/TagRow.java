package io.tagstream.database;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.tagstream.addressmap.TagDefinition;

/** One row of ops.tags, as stored: the address map's row in canonical text form. */
record TagRow(String site, String line, String device, String tag, String protocol, String conn, int unitId, String address,
              String type, double scale, double offset, int periodMs, String unit, Double hi, Double lo, String wordOrder,
              Double deadband, String deadbandMode) {

    static TagRow of(TagDefinition t) {
        return new TagRow(t.site(), t.line(), t.device(), t.tag(), t.protocol(), t.connection().uri(), t.unitId(),
                t.address().toString(), t.type().name(), t.scale(), t.offset(), t.periodMs(), t.unit(), t.hi(), t.lo(),
                t.wordOrder().name(), t.deadband(), t.deadbandMode() == null ? null : t.deadbandMode().name());
    }

    String key() {
        return site + "/" + device + "/" + tag;
    }

    /** Column values in ops.tags order, for comparison and for statements. */
    Map<String, Object> columns() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("protocol", protocol);
        columns.put("conn", conn);
        columns.put("unit_id", unitId);
        columns.put("address", address);
        columns.put("type", type);
        columns.put("scale", scale);
        columns.put("offset", offset);
        columns.put("period_ms", periodMs);
        columns.put("unit", unit);
        columns.put("hi", hi);
        columns.put("lo", lo);
        columns.put("word_order", wordOrder);
        columns.put("deadband", deadband);
        columns.put("deadband_mode", deadbandMode);
        return columns;
    }

    /** "column: old -> new" for every column that differs from {@code before}. */
    Map<String, String> differencesFrom(TagRow before) {
        Map<String, String> differences = new LinkedHashMap<>();
        Map<String, Object> old = before.columns();
        columns().forEach((column, value) -> {
            if (!Objects.equals(old.get(column), value)) {
                differences.put(column, old.get(column) + " -> " + value);
            }
        });
        return differences;
    }
}
