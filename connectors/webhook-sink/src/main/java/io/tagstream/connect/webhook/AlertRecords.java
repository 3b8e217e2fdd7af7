package io.tagstream.connect.webhook;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import io.tagstream.connect.webhook.core.AlertNotice;

/**
 * Reads an AlertEvent from a record value: a Struct (Avro converter) or a Map (a schemaless JSON converter).
 * Enums arrive as their symbols, timestamps as Date (Connect's Timestamp) or epoch millis.
 */
final class AlertRecords {

    private AlertRecords() {
    }

    /** @throws IllegalArgumentException naming what is missing or malformed */
    static AlertNotice toNotice(Object value) {
        if (!(value instanceof Struct) && !(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("value is not an AlertEvent record but "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + " (use the Avro converter)");
        }
        return new AlertNotice(
                required(value, "alert_id"), text(value, "site"), text(value, "line"), text(value, "device"), text(value, "tag"),
                text(value, "rule_id"), text(value, "kind"), text(value, "severity"), required(value, "state"),
                number(value, "value"), number(value, "threshold"), instant(value, "ts", true), instant(value, "raised_at", false),
                text(value, "message"));
    }

    private static Object field(Object value, String name) {
        if (value instanceof Struct struct) {
            Field field = struct.schema().field(name);
            return field == null ? null : struct.get(field);
        }
        return ((Map<?, ?>) value).get(name);
    }

    private static String text(Object value, String name) {
        Object field = field(value, name);
        return field == null ? null : field.toString();
    }

    private static String required(Object value, String name) {
        String text = text(value, name);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("AlertEvent without " + name);
        }
        return text;
    }

    private static Double number(Object value, String name) {
        Object field = field(value, name);
        if (field == null) {
            return null;
        }
        if (field instanceof Number number) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException("AlertEvent " + name + " is not a number: " + field);
    }

    private static Instant instant(Object value, String name, boolean required) {
        Object field = field(value, name);
        if (field instanceof Date date) {
            return date.toInstant();
        }
        if (field instanceof Instant instant) {
            return instant;
        }
        if (field instanceof Number number) {
            return Instant.ofEpochMilli(number.longValue());
        }
        if (field == null && !required) {
            return null;
        }
        throw new IllegalArgumentException("AlertEvent " + name + " is not a timestamp: " + field);
    }
}
