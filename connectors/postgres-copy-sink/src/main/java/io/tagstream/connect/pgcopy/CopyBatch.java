package io.tagstream.connect.pgcopy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows waiting to be written to one table with one column list. Rows with the same natural key collapse
 * to the last one: a batch holding a record and its redelivery (or two versions of a row) writes one
 * row, which is also what lets one INSERT .. ON CONFLICT DO UPDATE statement take the whole batch.
 *
 * @param <S> what each row came from (the sink record), for reporting the rows that cannot be written
 */
final class CopyBatch<S> {

    record Row<S>(List<Object> values, S source) {
    }

    private final List<String> columns;
    private final int[] keyIndexes;
    private final Map<List<Object>, Row<S>> rows = new LinkedHashMap<>();

    CopyBatch(List<String> columns, List<String> keyColumns) {
        this.columns = List.copyOf(columns);
        this.keyIndexes = new int[keyColumns.size()];
        for (int i = 0; i < keyColumns.size(); i++) {
            int index = columns.indexOf(keyColumns.get(i));
            if (index < 0) {
                throw new IllegalArgumentException("key column " + keyColumns.get(i) + " is not among the record's fields " + columns);
            }
            keyIndexes[i] = index;
        }
    }

    List<String> columns() {
        return columns;
    }

    /** Adds a row; a row with the same key replaces the earlier one, which is then done. */
    void add(List<Object> values, S source) {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " values, got " + values.size());
        }
        List<Object> key = new ArrayList<>(keyIndexes.length);
        for (int index : keyIndexes) {
            Object value = values.get(index);
            if (value == null) {
                throw new IllegalArgumentException("key column " + columns.get(index) + " is null");
            }
            key.add(value instanceof Date date ? date.getTime() : value);
        }
        rows.remove(key); // re-insert, so the row takes the position of its newest version
        rows.put(key, new Row<>(List.copyOf(nullSafe(values)), source));
    }

    int size() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    Collection<Row<S>> rows() {
        return rows.values();
    }

    void clear() {
        rows.clear();
    }

    /** The batch in PostgreSQL's CSV COPY format: NULL is an empty unquoted field, every text is quoted. */
    String toCsv() {
        StringBuilder out = new StringBuilder(rows.size() * 96);
        for (Row<S> row : rows.values()) {
            appendCsvLine(out, row.values());
        }
        return out.toString();
    }

    static void appendCsvLine(StringBuilder out, List<Object> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendCsv(out, values.get(i));
        }
        out.append('\n');
    }

    static void appendCsv(StringBuilder out, Object value) {
        if (value == null || value == NULL) {
            return;
        }
        if (value instanceof Date date) {
            out.append(Instant.ofEpochMilli(date.getTime()));
        } else if (value instanceof Number || value instanceof Boolean) {
            // Double.toString gives NaN and Infinity, which PostgreSQL's double precision accepts
            out.append(value);
        } else if (value instanceof CharSequence text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    out.append('"');
                }
                out.append(c);
            }
            out.append('"');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getSimpleName() + " to a column");
        }
    }

    /** List.copyOf refuses nulls; nullable columns are ordinary, so they travel as this marker. */
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "NULL";
        }
    };

    private static List<Object> nullSafe(List<Object> values) {
        List<Object> safe = new ArrayList<>(values.size());
        for (Object value : values) {
            safe.add(value == null ? NULL : value);
        }
        return safe;
    }

    /** The value as JDBC should bind it (the NULL marker back to null). */
    static Object jdbcValue(Object value) {
        if (value == NULL) {
            return null;
        }
        if (value instanceof Date date) {
            return java.sql.Timestamp.from(Instant.ofEpochMilli(date.getTime()));
        }
        return value;
    }
}
