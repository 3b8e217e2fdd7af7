package io.tagstream.alerts;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Rows of ops.thresholds as Debezium writes them (ExtractNewRecordState-flattened: one field per column,
 * plus {@code __op} / {@code __source_ts_ms}; key = the primary key struct {@code {rule_id}}), turned into
 * {@link ThresholdRule}s. Reads fields by name, so added columns do not matter.
 */
public final class ThresholdRecords {

    private ThresholdRecords() {
    }

    /** The rule id from a record key: the primary-key struct, or a plain string key. */
    public static String ruleId(Object key) {
        if (key instanceof GenericRecord record) {
            Object id = field(record, "rule_id");
            if (id == null) {
                throw new IllegalArgumentException("threshold key without rule_id: " + record);
            }
            return id.toString();
        }
        if (key == null) {
            throw new IllegalArgumentException("threshold record without key");
        }
        return key.toString();
    }

    public static ThresholdRule rule(String ruleId, GenericRecord row) {
        Object id = field(row, "rule_id");
        return new ThresholdRule(id != null ? id.toString() : ruleId, string(row, "site"), string(row, "device"),
                string(row, "tag"), decimal(row, "warning_high"), decimal(row, "warning_low"), decimal(row, "critical_high"),
                decimal(row, "critical_low"), orZero(decimal(row, "hysteresis")), orZero(integer(row, "on_delay_ms")),
                orZero(integer(row, "clear_delay_ms")), integer(row, "stale_after_ms"), integer(row, "bad_quality_after_ms"),
                !Boolean.FALSE.equals(field(row, "enabled")));
    }

    private static Object field(GenericRecord record, String name) {
        Schema.Field field = record.getSchema().getField(name);
        return field == null ? null : record.get(field.pos());
    }

    private static String string(GenericRecord record, String name) {
        Object value = field(record, name);
        return value == null ? null : value.toString();
    }

    private static Double decimal(GenericRecord record, String name) {
        Object value = field(record, name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException(name + " is not a number: " + value);
    }

    private static Long integer(GenericRecord record, String name) {
        Object value = field(record, name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalArgumentException(name + " is not a number: " + value);
    }

    private static double orZero(Double value) {
        return value == null ? 0.0 : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0L : value;
    }
}
