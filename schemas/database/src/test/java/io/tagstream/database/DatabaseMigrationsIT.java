package io.tagstream.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.StackDatabase;
import io.tagstream.testkit.TestIds;

/** The migrations on real PostgreSQL (the shared stack's, migrated by `up`) and on a fresh database. */
class DatabaseMigrationsIT {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static StackEndpoints stack;
    private static StackDatabase database;

    @BeforeAll
    static void stack() {
        stack = SharedStack.get();
        database = new StackDatabase(stack);
    }

    private static DatabaseMigrations.Settings settings(String jdbcUrl) {
        return new DatabaseMigrations.Settings(jdbcUrl, stack.postgresSuperuser(), stack.postgresPassword(),
                stack.rolePassword("ingest"), stack.rolePassword("viewer"), stack.rolePassword("replicator"), 90, 1825, 7);
    }

    @Test
    void theStackDatabaseIsMigratedAndMigratingAgainChangesNothing() throws Exception {
        MigrateResult again = DatabaseMigrations.migrate(settings(stack.jdbcUrl()));
        assertThat(again.migrationsExecuted).isZero();
        assertThat(again.initialSchemaVersion).isEqualTo(Integer.toString(migrationCount()));
        try (Connection db = database.superuser()) {
            assertThat(tables(db)).contains("telemetry.readings", "telemetry.agg_1m", "telemetry.agg_1h", "alerts.events");
        }
    }

    @Test
    void aFreshDatabaseGetsEverythingIncludingTimeBucket() throws Exception {
        String name = "migrations_it_" + TestIds.next();
        try (Connection admin = database.superuser("postgres"); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        try {
            MigrateResult result = DatabaseMigrations.migrate(settings(stack.jdbcUrl(name)));
            assertThat(result.migrationsExecuted).isEqualTo(migrationCount());
            try (Connection db = database.superuser(name); Statement st = db.createStatement()) {
                assertThat(tables(db)).contains("telemetry.readings", "telemetry.agg_1m", "telemetry.agg_1h", "alerts.events",
                        "ops.sites", "ops.devices", "ops.tags", "ops.thresholds");
                ResultSet rs = st.executeQuery("SELECT time_bucket('1 minute', timestamptz '2026-01-01 12:34:56.789+00'),"
                        + " time_bucket('1 hour', timestamptz '2026-01-01 12:34:56+00'),"
                        + " time_bucket('15 minutes', timestamptz '2026-01-01 12:44:59+00'),"
                        + " time_bucket('1 day', timestamptz '1999-12-31 23:00:00+00')");
                rs.next();
                assertThat(rs.getTimestamp(1).toInstant()).isEqualTo(Instant.parse("2026-01-01T12:34:00Z"));
                assertThat(rs.getTimestamp(2).toInstant()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
                assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(Instant.parse("2026-01-01T12:30:00Z"));
                assertThat(rs.getTimestamp(4).toInstant()).as("before the origin").isEqualTo(Instant.parse("1999-12-31T00:00:00Z"));
                if (timescale(db)) {
                    assertThat(extensionSchema(db)).as("TimescaleDB where every role finds it").isEqualTo("public");
                    assertThatThrownBy(() -> st.executeQuery("SELECT time_bucket('-5 minutes', now())"))
                            .hasMessageContaining("must be greater than 0");
                } else {
                    assertThatThrownBy(() -> st.executeQuery("SELECT time_bucket('1 month', now())"))
                            .hasMessageContaining("months or years");
                    assertThatThrownBy(() -> st.executeQuery("SELECT time_bucket('-5 minutes', now())"))
                            .hasMessageContaining("stride must be greater than zero");
                }
            }
        } finally {
            try (Connection admin = database.superuser("postgres"); Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void ingestUpsertsButCannotChangeOrEmptyTables() throws Exception {
        String site = "IT-" + TestIds.next();
        Timestamp ts = Timestamp.from(Instant.parse("2026-03-01T10:00:00Z"));
        try (Connection ingest = database.as("ingest")) {
            String upsert = "INSERT INTO telemetry.readings (site, device, tag, ts, value, quality, source) "
                    + "VALUES (?, 'PUMP01', 'PRESS', ?, ?, 'GOOD', 'it') "
                    + "ON CONFLICT (site, device, tag, ts) DO UPDATE SET value = EXCLUDED.value, quality = EXCLUDED.quality";
            for (double value : new double[] {4.5, 4.5, 4.75}) { // a redelivery, then a corrected value
                try (PreparedStatement ps = ingest.prepareStatement(upsert)) {
                    ps.setString(1, site);
                    ps.setTimestamp(2, ts);
                    ps.setDouble(3, value);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = ingest.prepareStatement("SELECT count(*), max(value) FROM telemetry.readings WHERE site = ?")) {
                ps.setString(1, site);
                ResultSet rs = ps.executeQuery();
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getDouble(2)).isEqualTo(4.75);
            }
            for (String forbidden : List.of("DROP TABLE telemetry.readings", "ALTER TABLE telemetry.readings ADD COLUMN x int",
                    "TRUNCATE telemetry.agg_1m", "DELETE FROM telemetry.readings", "CREATE TABLE telemetry.mine (x int)",
                    "CREATE TABLE public.mine (x int)", "DROP VIEW alerts.active")) {
                assertThatThrownBy(() -> {
                    try (Statement st = ingest.createStatement()) {
                        st.execute(forbidden);
                    }
                }).as(forbidden).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(forbidden + ": " + e.getMessage()).isIn(INSUFFICIENT_PRIVILEGE, "42501"));
            }
        }
    }

    @Test
    void viewerReadsButCannotWrite() throws Exception {
        try (Connection viewer = database.as("viewer"); Statement st = viewer.createStatement()) {
            st.executeQuery("SELECT count(*) FROM telemetry.readings").close();
            st.executeQuery("SELECT * FROM alerts.active").close();
            st.executeQuery("SELECT time_bucket('5 minutes', now())").close();
            for (String forbidden : List.of(
                    "INSERT INTO telemetry.agg_1h (site, device, tag, window_start, window_end, count, imputed_count, sum) "
                            + "VALUES ('s','d','t', now(), now() + interval '1 hour', 0, 0, 0)",
                    "UPDATE telemetry.readings SET value = 0", "DELETE FROM alerts.events")) {
                assertThatThrownBy(() -> st.execute(forbidden)).as(forbidden)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
            }
        }
    }

    @Test
    void replicatorMayReplicateAndNoPlatformRoleIsSuperuser() throws Exception {
        try (Connection admin = database.superuser(); Statement st = admin.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT rolname, rolsuper, rolreplication, rolcreaterole, rolcreatedb FROM pg_roles "
                    + "WHERE rolname IN ('ingest', 'viewer', 'replicator') ORDER BY rolname");
            List<String> roles = new ArrayList<>();
            while (rs.next()) {
                roles.add(rs.getString(1) + " super=" + rs.getBoolean(2) + " replication=" + rs.getBoolean(3)
                        + " createrole=" + rs.getBoolean(4) + " createdb=" + rs.getBoolean(5));
            }
            assertThat(roles).containsExactly(
                    "ingest super=false replication=false createrole=false createdb=false",
                    "replicator super=false replication=true createrole=false createdb=false",
                    "viewer super=false replication=false createrole=false createdb=false");
        }
    }

    @Test
    void currentAlertStateIsTheLatestTransition() throws Exception {
        String alertId = "it-" + UUID.randomUUID();
        try (Connection ingest = database.as("ingest")) {
            insertAlert(ingest, alertId, "RAISED", "WARNING", "2026-03-01T10:00:00Z");
            insertAlert(ingest, alertId, "ESCALATED", "CRITICAL", "2026-03-01T10:05:00Z");
            try (PreparedStatement ps = ingest.prepareStatement("SELECT state, severity FROM alerts.active WHERE alert_id = ?")) {
                ps.setString(1, alertId);
                ResultSet rs = ps.executeQuery();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + "/" + rs.getString(2)).isEqualTo("ESCALATED/CRITICAL");
            }
            insertAlert(ingest, alertId, "CLEARED", "CRITICAL", "2026-03-01T10:09:00Z");
            try (PreparedStatement ps = ingest.prepareStatement("SELECT count(*) FROM alerts.active WHERE alert_id = ?")) {
                ps.setString(1, alertId);
                ResultSet rs = ps.executeQuery();
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    private static void insertAlert(Connection db, String alertId, String state, String severity, String at) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO alerts.events (alert_id, ts, state, site, device, tag, "
                + "rule_id, kind, severity, value, threshold, raised_at, message) "
                + "VALUES (?, ?, ?, 'IT', 'PUMP01', 'PRESS', 'default-hi', 'HIGH', ?, 12.5, 10, ?, 'pressure high')")) {
            ps.setString(1, alertId);
            ps.setTimestamp(2, Timestamp.from(Instant.parse(at)));
            ps.setString(3, state);
            ps.setString(4, severity);
            ps.setTimestamp(5, Timestamp.from(Instant.parse("2026-03-01T10:00:00Z")));
            ps.executeUpdate();
        }
    }

    /**
     * With the extension in the stack's PostgreSQL (the stack preloads it when installed): hypertables with
     * their chunk intervals, compression segmented by site, device, tag, and the compression and retention
     * policies with the configured intervals. Skipped on plain PostgreSQL, which the other tests cover.
     */
    @Test
    void withTimescaleDbTheTablesAreHypertablesWithCompressionAndRetention() throws Exception {
        try (Connection db = database.superuser()) {
            Assumptions.assumeTrue(timescale(db), "the timescaledb extension is not installed here");
            assertThat(extensionSchema(db)).isEqualTo("public");
            assertThat(StackDatabase.text(db, "SELECT hypertable_schema || '.' || hypertable_name || ' ' || column_name || ' ' || time_interval "
                    + "FROM timescaledb_information.dimensions ORDER BY 1")).containsExactly(
                    "alerts.events ts 7 days", "telemetry.agg_1h window_start 30 days", "telemetry.agg_1m window_start 1 day",
                    "telemetry.readings ts 1 day");
            assertThat(StackDatabase.text(db, "SELECT hypertable_name || ' ' || string_agg(attname, ',' ORDER BY segmentby_column_index) "
                    + "FROM timescaledb_information.compression_settings WHERE segmentby_column_index IS NOT NULL "
                    + "GROUP BY hypertable_name ORDER BY 1")).containsExactly(
                    "agg_1h site,device,tag", "agg_1m site,device,tag", "readings site,device,tag");
            assertThat(StackDatabase.text(db, "SELECT proc_name || ' ' || hypertable_name || ' ' || coalesce(config->>'compress_after', config->>'drop_after') "
                    + "FROM timescaledb_information.jobs WHERE hypertable_name IS NOT NULL ORDER BY 1")).containsExactly(
                    "policy_compression agg_1h 7 days", "policy_compression agg_1m 7 days", "policy_compression readings 7 days",
                    "policy_retention agg_1h 1825 days", "policy_retention agg_1m 1825 days", "policy_retention readings 90 days");
        }
        try (Connection viewer = database.as("viewer")) {
            assertThat(StackDatabase.text(viewer, "SELECT time_bucket('1 hour', timestamptz '2026-01-01 12:34:56+00') = timestamptz '2026-01-01 12:00:00+00'"))
                    .as("TimescaleDB's time_bucket, found by the dashboards' role").containsExactly("t");
        }
    }

    private static boolean timescale(Connection db) throws SQLException {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private static String extensionSchema(Connection db) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'timescaledb'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The versioned migrations shipped: V1 .. Vn, read from the module's jar (failsafe tests the packaged module). */
    private static int migrationCount() throws Exception {
        URI location = DatabaseMigrations.class.getResource("/db/migration").toURI();
        try (FileSystem jar = "jar".equals(location.getScheme()) ? FileSystems.newFileSystem(location, Map.of()) : null;
             var files = Files.list(Path.of(location))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    private static List<String> tables(Connection db) throws SQLException {
        return StackDatabase.text(db, "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname IN ('telemetry', 'alerts', 'ops')");
    }
}
