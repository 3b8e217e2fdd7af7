package io.tagstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.awaitility.Awaitility;

import io.tagstream.stack.StackEndpoints;

/**
 * The shared stack's PostgreSQL as integration tests use it: connections as the superuser or as a
 * platform role (ingest, viewer, replicator), statements, and query results as comparable text.
 */
public final class StackDatabase {

    private final StackEndpoints stack;

    public StackDatabase(StackEndpoints stack) {
        this.stack = stack;
    }

    /** The superuser on the platform's database. */
    public Connection superuser() throws SQLException {
        return superuser(StackEndpoints.DATABASE);
    }

    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(database), stack.postgresSuperuser(), stack.postgresPassword());
    }

    /** A platform role with the password the stack generated for it. */
    public Connection as(String role) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), role, stack.rolePassword(role));
    }

    /** Runs each statement as the superuser, each in a transaction of its own. */
    public void execute(String... statements) throws SQLException {
        try (Connection db = superuser(); Statement st = db.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    /**
     * Drops a replication slot once its user (a Debezium task being deleted) has let go of it: an abandoned
     * slot would hold WAL forever. Gives up quietly after the timeout.
     */
    public void dropReplicationSlot(String slot, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
                return;
            } catch (SQLException stillActive) {
                Thread.sleep(500);
            }
        }
    }

    /**
     * The rows of a query, each its columns joined by '|': values as Java renders them (timestamps as
     * UTC instants, booleans true/false, NULL as null).
     */
    public static List<String> rows(Connection db, String sql, Object... parameters) throws SQLException {
        return query(db, sql, parameters, (rs, column) -> {
            Object value = rs.getObject(column);
            return value instanceof Timestamp t ? t.toInstant().toString() : String.valueOf(value);
        });
    }

    /** The rows of a query in PostgreSQL's own text form (booleans t/f), columns joined by '|'. */
    public static List<String> text(Connection db, String sql, Object... parameters) throws SQLException {
        return query(db, sql, parameters, (rs, column) -> String.valueOf(rs.getString(column)));
    }

    /** The first column of the first row ({@link #rows} form), null when there is no row. */
    public static String firstValue(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = prepare(db, sql, parameters); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? String.valueOf(rs.getObject(1)) : null;
        }
    }

    /** Waits until the query's first value is the expected one (null: no row), polling with the connection given. */
    public static void awaitValue(Connection db, String sql, String expected, Duration timeout, Supplier<String> diagnostics) {
        Awaitility.await().atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(firstValue(db, sql))
                        .as(() -> sql + "; " + diagnostics.get()).isEqualTo(expected));
    }

    private interface Column {
        String read(ResultSet rs, int column) throws SQLException;
    }

    private static List<String> query(Connection db, String sql, Object[] parameters, Column column) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = prepare(db, sql, parameters); ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(column.read(rs, i));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }

    private static PreparedStatement prepare(Connection db, String sql, Object[] parameters) throws SQLException {
        PreparedStatement ps = db.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            ps.setObject(i + 1, parameters[i]);
        }
        return ps;
    }
}
