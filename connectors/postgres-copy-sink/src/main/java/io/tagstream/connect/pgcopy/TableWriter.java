package io.tagstream.connect.pgcopy;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.postgresql.PGConnection;

/**
 * Writes batches into one table: COPY straight into it while the rows are new; otherwise COPY into a
 * session-local staging table, then one INSERT .. ON CONFLICT (natural key) DO UPDATE into the target,
 * committed together. The staging table lives in pg_temp, so concurrent tasks never see each other's rows.
 */
final class TableWriter implements AutoCloseable {

    /** A row that could not be written, and why. */
    record Failure<S>(S source, SQLException cause) {
    }

    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final List<String> keyColumns;
    private Connection connection;
    private Set<String> tableColumns;

    TableWriter(String url, String user, String password, String table, List<String> keyColumns) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.keyColumns = List.copyOf(keyColumns);
    }

    /** The target table's columns, read once per connection. */
    Set<String> tableColumns() throws SQLException {
        connection();
        return tableColumns;
    }

    /**
     * Writes the whole batch in one transaction. Most batches hold only new rows, so they are copied
     * straight into the table (COPY's full speed); a batch that meets rows already there (a redelivery
     * after a crash) fails on the unique index and is written again through the upsert.
     */
    <S> void write(CopyBatch<S> batch) throws SQLException {
        Connection db = connection();
        String csv = batch.toCsv();
        try {
            db.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + quotedList(batch.columns()) + ") FROM STDIN (FORMAT csv)", new StringReader(csv));
            db.commit();
            return;
        } catch (IOException e) {
            rollbackQuietly();
            throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), "08006", e);
        } catch (SQLException e) {
            rollbackQuietly();
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
        }
        upsert(batch, csv);
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private <S> void upsert(CopyBatch<S> batch, String csv) throws SQLException {
        Connection db = connection();
        String columns = quotedList(batch.columns());
        try {
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging() + " (LIKE " + table + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
            }
            db.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + staging() + " (" + columns + ") FROM STDIN (FORMAT csv)", new StringReader(csv));
            try (Statement st = db.createStatement()) {
                st.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + staging()
                        + upsertClause(batch.columns()));
            }
            db.commit();
        } catch (IOException e) {
            rollbackQuietly();
            throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), "08006", e);
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
    }

    /**
     * Writes row by row, each in its own transaction, to single out rows the database refuses; returns
     * them. Used after a batch failed for a reason that is about data, not the connection.
     */
    <S> List<Failure<S>> writeEachRow(CopyBatch<S> batch) throws SQLException {
        Connection db = connection();
        List<Failure<S>> failures = new ArrayList<>();
        String sql = "INSERT INTO " + table + " (" + quotedList(batch.columns()) + ") VALUES ("
                + String.join(", ", batch.columns().stream().map(c -> "?").toList()) + ")" + upsertClause(batch.columns());
        for (CopyBatch.Row<S> row : batch.rows()) {
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                for (int i = 0; i < row.values().size(); i++) {
                    statement.setObject(i + 1, CopyBatch.jdbcValue(row.values().get(i)));
                }
                statement.executeUpdate();
                db.commit();
            } catch (SQLException e) {
                rollbackQuietly();
                if (isConnectionProblem(e)) {
                    throw e;
                }
                failures.add(new Failure<>(row.source(), e));
            }
        }
        return failures;
    }

    /** SQLSTATE class 08 (connection exception) and friends: retry later, the data is fine. */
    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
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
            db.setAutoCommit(false);
            Set<String> columns = new LinkedHashSet<>();
            String[] parts = table.split("\\.");
            try (PreparedStatement ps = db.prepareStatement("SELECT column_name FROM information_schema.columns "
                    + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
                ps.setString(1, parts[0]);
                ps.setString(2, parts[1]);
                ResultSet rs = ps.executeQuery();
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            db.commit();
            if (columns.isEmpty()) {
                db.close();
                throw new SQLException("table " + table + " does not exist or " + user + " cannot see it", "42P01");
            }
            if (!columns.containsAll(keyColumns)) {
                db.close();
                throw new SQLException("table " + table + " has no column(s) " + keyColumns + " for the natural key", "42703");
            }
            connection = db;
            tableColumns = columns;
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
