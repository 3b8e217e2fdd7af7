package io.tagstream.connect.pgcopy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes rows into one table: binary COPY straight into it while the rows are new; otherwise COPY into a
 * session-local staging table, then one INSERT .. ON CONFLICT (natural key) DO UPDATE into the target
 * that keeps the last version of each key, committed together. The staging table lives in pg_temp, so
 * concurrent tasks never see each other's rows.
 */
final class TableWriter implements AutoCloseable {

    private static final String UNIQUE_VIOLATION = "23505";
    /** Orders the staging rows, so the upsert keeps the latest version of a key that came twice. */
    private static final String ARRIVAL = "tagstream_arrival";

    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final List<String> keyColumns;
    private Connection connection;
    private TableLayout layout;
    private boolean stagingCreated;

    TableWriter(String url, String user, String password, String table, List<String> keyColumns) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.keyColumns = List.copyOf(keyColumns);
    }

    /** The target table's layout, read once per connection. */
    TableLayout layout() throws SQLException {
        connection();
        return layout;
    }

    /**
     * Writes rows {@code from} (inclusive) to {@code to} (exclusive) in one transaction. Most batches hold
     * only new rows, so they are copied straight into the table (COPY's full speed); a batch that meets a
     * key already there, or holds one key twice (a redelivery after a crash, a corrected value), fails on
     * the unique index and is written again through the upsert.
     */
    void write(CopyRows rows, int from, int to) throws SQLException {
        Connection db = connection();
        try {
            copy(db, table, rows, from, to);
            db.commit();
            return;
        } catch (SQLException e) {
            rollbackQuietly();
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
        }
        try {
            if (!stagingCreated) {
                try (Statement st = db.createStatement()) {
                    st.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging() + " (LIKE " + table + " INCLUDING DEFAULTS, "
                            + ARRIVAL + " bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DELETE ROWS");
                }
                db.commit();
                stagingCreated = true;
            }
            copy(db, staging(), rows, from, to);
            String columns = quotedList(rows.columns());
            String keys = quotedList(keyColumns);
            try (Statement st = db.createStatement()) {
                st.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT DISTINCT ON (" + keys + ") " + columns
                        + " FROM " + staging() + " ORDER BY " + keys + ", " + ARRIVAL + " DESC" + upsertClause(rows.columns()));
            }
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private static void copy(Connection db, String target, CopyRows rows, int from, int to) throws SQLException {
        CopyIn copy = db.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + target + " (" + quotedList(rows.columns()) + ") FROM STDIN (FORMAT binary)");
        try {
            copy.writeToCopy(CopyRows.HEADER, 0, CopyRows.HEADER.length);
            int start = rows.offsetOf(from);
            copy.writeToCopy(rows.buffer(), start, rows.offsetOf(to) - start);
            copy.writeToCopy(CopyRows.TRAILER, 0, CopyRows.TRAILER.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // the original failure is what matters
                }
            }
        }
    }

    /** SQLSTATE class 08 (connection exception) and friends: retry later, the data is fine. */
    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
    }

    /**
     * Class 22 (data exception) and 23 (integrity constraint violation): some row is at fault, and
     * writing the rows in smaller groups finds it. Anything else (no permission, a missing table, a
     * column whose type changed under the sink: 22P03) is not about one row and must not send rows to
     * the dead-letter topic.
     */
    static boolean isRowProblem(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("23") || (state.startsWith("22") && !state.equals("22P03")));
    }

    private String upsertClause(List<String> columns) {
        List<String> updates = new ArrayList<>();
        for (String column : columns) {
            if (!keyColumns.contains(column)) {
                updates.add(quote(column) + " = EXCLUDED." + quote(column));
            }
        }
        return " ON CONFLICT (" + quotedList(keyColumns) + ") DO "
                + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
    }

    private String staging() {
        return "pg_temp.staging_" + table.replace('.', '_');
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed() || !connection.isValid(5)) {
            closeQuietly();
            Connection db = DriverManager.getConnection(url, user, password);
            try {
                db.setAutoCommit(false);
                layout = TableLayout.read(db, table, keyColumns);
                db.commit();
            } catch (SQLException e) {
                db.close();
                throw e;
            }
            connection = db;
            stagingCreated = false;
        }
        return connection;
    }

    private void rollbackQuietly() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is gone; the next write reconnects
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing a broken connection: nothing to save
        }
        connection = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String quotedList(List<String> identifiers) {
        return String.join(", ", identifiers.stream().map(TableWriter::quote).toList());
    }
}
