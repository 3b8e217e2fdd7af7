package io.tagstream.connect.pgcopy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;

/** The target table's columns (name, type, NOT NULL), read once per connection, and how records map onto them. */
final class TableLayout {

    record Column(String name, String typeName, ColumnType type, boolean notNull) {
    }

    private final String table;
    private final Map<String, Column> columns;
    private final List<String> keyColumns;

    TableLayout(String table, Map<String, Column> columns, List<String> keyColumns) {
        this.table = table;
        this.columns = columns;
        this.keyColumns = List.copyOf(keyColumns);
    }

    /** Reads the layout; a missing table or key column is an SQLException naming it (not a connection problem). */
    static TableLayout read(Connection db, String table, List<String> keyColumns) throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        // pg_attribute rather than information_schema: the binary format needs the real type (domains resolved)
        try (PreparedStatement ps = db.prepareStatement("SELECT a.attname, "
                + "CASE WHEN t.typtype = 'd' THEN b.typname ELSE t.typname END, "
                + "CASE WHEN t.typtype = 'd' THEN b.typtype ELSE t.typtype END = 'e', "
                + "a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) "
                + "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type b ON b.oid = t.typbasetype "
                + "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    columns.put(rs.getString(1), new Column(rs.getString(1), type,
                            ColumnType.of(type, rs.getBoolean(3)).orElse(null), rs.getBoolean(4)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + table + " does not exist or the sink's role cannot see it", "42P01");
        }
        if (!columns.keySet().containsAll(keyColumns)) {
            throw new SQLException("table " + table + " has no column(s) " + keyColumns + " for the natural key", "42703");
        }
        return new TableLayout(table, columns, keyColumns);
    }

    boolean hasColumn(String name) {
        return columns.containsKey(name);
    }

    List<String> keyColumns() {
        return keyColumns;
    }

    /**
     * Which fields of records with this schema go to which columns. Fields without a column are left out
     * (listed in {@link RecordColumns#ignoredFields}). A schema lacking a key column is an
     * IllegalArgumentException (the record's fault); a column type the sink cannot write, a ConnectException.
     */
    RecordColumns mapping(Schema schema) {
        List<Field> fields = new ArrayList<>();
        List<Column> targets = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Field field : schema.fields()) {
            Column column = columns.get(field.name());
            if (column == null) {
                ignored.add(field.name());
                continue;
            }
            if (column.type() == null) {
                // the table, not the record, is the problem: stop rather than send every record to the dead-letter topic
                throw new ConnectException("column " + table + "." + column.name() + " has type " + column.typeName()
                        + ", which the COPY sink cannot write; it writes " + ColumnType.SUPPORTED);
            }
            fields.add(field);
            targets.add(column);
        }
        List<String> names = targets.stream().map(Column::name).toList();
        for (String key : keyColumns) {
            if (!names.contains(key)) {
                throw new IllegalArgumentException("key column " + key + " is not among the record's fields " + names);
            }
        }
        return new RecordColumns(fields.toArray(Field[]::new), targets.toArray(Column[]::new), names,
                keyColumns.stream().mapToInt(names::indexOf).toArray(), ignored);
    }

    /** The columns records of one schema fill, and the encoding of one record into a row. */
    final class RecordColumns {
        private final Field[] fields;
        private final Column[] targets;
        private final List<String> names;
        private final boolean[] key;
        private final List<String> ignoredFields;

        private RecordColumns(Field[] fields, Column[] targets, List<String> names, int[] keyIndexes, List<String> ignoredFields) {
            this.fields = fields;
            this.targets = targets;
            this.names = names;
            this.key = new boolean[fields.length];
            for (int index : keyIndexes) {
                key[index] = true;
            }
            this.ignoredFields = ignoredFields;
        }

        List<String> names() {
            return names;
        }

        List<String> ignoredFields() {
            return ignoredFields;
        }

        /** Appends the record as a row; a value that cannot be written leaves the rows as they were. */
        void encode(Struct value, CopyRows out) {
            out.beginRow();
            try {
                for (int i = 0; i < fields.length; i++) {
                    Object v = value.get(fields[i]);
                    Column column = targets[i];
                    if (v == null) {
                        if (key[i]) {
                            throw new IllegalArgumentException("key column " + column.name() + " is null");
                        }
                        if (column.notNull()) {
                            throw new IllegalArgumentException("column " + table + "." + column.name() + " is NOT NULL but the record's "
                                    + fields[i].name() + " is null");
                        }
                        out.putNull();
                    } else {
                        try {
                            column.type().encode(v, out);
                        } catch (IllegalArgumentException | ArithmeticException e) {
                            throw new IllegalArgumentException("field " + fields[i].name() + " into " + table + "." + column.name()
                                    + " (" + column.typeName() + "): " + e.getMessage(), e);
                        }
                    }
                }
                out.endRow();
            } catch (RuntimeException e) {
                out.abandonRow();
                throw e;
            }
        }
    }
}
