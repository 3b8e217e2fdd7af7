package io.tagstream.dashboards;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.tagstream.database.DatabaseMigrations;
import io.tagstream.stack.StackEndpoints;

/**
 * Latency of the Plant overview and Tag detail queries on a plant of realistic size (scripts/bench-dashboards).
 *
 * <p>Creates a database of its own on the stack's PostgreSQL, migrated by the real migrations, and loads one
 * site with {@code tags} tags (10 per device) and {@code days} days of 1-minute aggregates written in time
 * order, as the sink writes them (1,000 tags x 7 days = 10,080,000 rows), 1-hour aggregates rolled up from
 * them, the last {@code readingHours} hours of readings every 10 s, and some alerts. Then every variable,
 * panel and annotation query of the two dashboards is expanded as Grafana expands it (24 h, 7 d and 30 d
 * ranges; a repeated device card once, for one device) and run {@code iterations} times as the viewer role;
 * p50/p95/max per query are printed. The database is dropped at the end.
 *
 * <p>Arguments: stack home, repository, [tags=1000] [days=7] [iterations=30] [readingHours=2] [keep]; with
 * {@code keep} the database stays for EXPLAIN ANALYZE (drop it yourself: its name is printed).
 */
public final class DashboardBenchmark {

    private static final Duration TARGET_P95 = Duration.ofMillis(100);
    private static final List<String> DASHBOARDS = List.of("plant-overview.json", "tag-detail.json");

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        StackEndpoints stack = StackEndpoints.read(Path.of(args[0]));
        Path repo = Path.of(args[1]);
        int tags = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int days = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        int iterations = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        int readingHours = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        boolean keep = args.length > 6 && args[6].equals("keep");
        if (tags % 10 != 0) {
            throw new IllegalArgumentException("tags must be a multiple of 10 (10 tags per device)");
        }
        String database = "bench_dashboards_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection postgres = DriverManager.getConnection(stack.jdbcUrl("postgres"), stack.postgresSuperuser(), stack.postgresPassword());
             Statement st = postgres.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        try {
            DatabaseMigrations.migrate(new DatabaseMigrations.Settings(stack.jdbcUrl(database), stack.postgresSuperuser(),
                    stack.postgresPassword(), stack.rolePassword("ingest"), stack.rolePassword("viewer"),
                    stack.rolePassword("replicator"), 90, 1825, 7));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            try (Connection admin = DriverManager.getConnection(stack.jdbcUrl(database), stack.postgresSuperuser(), stack.postgresPassword())) {
                load(admin, now, tags, days, readingHours);
            }
            try (Connection viewer = DriverManager.getConnection(stack.jdbcUrl(database) + "?prepareThreshold=0", "viewer", stack.rolePassword("viewer"))) {
                measure(viewer, repo, now, iterations);
            }
        } finally {
            if (keep) {
                System.out.println("kept database " + database + " (DROP DATABASE " + database + " when done)");
                return;
            }
            try (Connection postgres = DriverManager.getConnection(stack.jdbcUrl("postgres"), stack.postgresSuperuser(), stack.postgresPassword());
                 Statement st = postgres.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                System.out.println("dropped database " + database);
            }
        }
    }

    private static void load(Connection admin, Instant now, int tags, int days, int readingHours) throws SQLException {
        Timestamp end = Timestamp.from(now);
        int devices = tags / 10;
        long started = System.nanoTime();
        try (Statement st = admin.createStatement()) {
            st.execute("SET synchronous_commit = off");
            st.execute("INSERT INTO ops_replica.sites VALUES ('BENCH', 'Benchmark plant', 'UTC', 36.35, 127.38, now(), 'c', 0)");
            st.execute("INSERT INTO ops_replica.devices (site, device, line, description, updated_at, __op)"
                    + " SELECT 'BENCH', format('DEV%s', lpad(d::text, 3, '0')), format('LINE%s', d % 10), 'bench', now(), 'c'"
                    + " FROM generate_series(0, " + (devices - 1) + ") d");
            st.execute("INSERT INTO ops_replica.tags (site, device, tag, protocol, conn, unit_id, address, type, scale, \"offset\", period_ms,"
                    + " unit, hi, lo, word_order, deadband, deadband_mode, updated_at, __op)"
                    + " SELECT d.site, d.device, 'TAG' || t, 'modbus', 'tcp://127.0.0.1:502', 1, (40001 + 2 * t)::text, 'FLOAT32', 1, 0, 1000,"
                    + " 'bar', 100, 0, 'ABCD', 0.5, 'ABSOLUTE', now(), 'c' FROM ops_replica.devices d, generate_series(0, 9) t");
            st.execute("INSERT INTO ops_replica.thresholds (rule_id, site, device, tag, warning_high, critical_high, hysteresis, on_delay_ms, clear_delay_ms,"
                    + " enabled, updated_at) VALUES ('bench-default', 'BENCH', '*', '*', 80, 95, 1, 0, 0, true, now())");
            // bulk load without the unique index, then build it as the migration defines it (same end state, faster)
            st.execute("DROP INDEX telemetry.agg_1m_natural_key");
        }
        // one day per statement, each in time order: the heap ends up interleaved by time like the sink writes it
        long aggRows = 0;
        try (PreparedStatement ps = admin.prepareStatement(
                "INSERT INTO telemetry.agg_1m (site, device, tag, window_start, window_end, line, count, imputed_count, min, max, sum, avg,"
                        + " first, last, stddev, twa, unit, ingested_at)"
                        + " SELECT t.site, t.device, t.tag, w, w + interval '1 minute', 'LINE1', 60, (h % 97 = 0)::int,"
                        + "   50 + v - 1, 50 + v + 1, 60 * (50 + v), 50 + v, 50 + v, 50 + v, 0.5, 50 + v, 'bar', w + interval '70 seconds'"
                        + " FROM generate_series(date_trunc('minute', ?::timestamptz) - ? * interval '1 day',"
                        + "                      date_trunc('minute', ?::timestamptz) - ? * interval '1 day' - interval '1 minute', interval '1 minute') w"
                        + " CROSS JOIN ops_replica.tags t"
                        + " CROSS JOIN LATERAL (SELECT hashtext(t.device || t.tag || w::text) AS h) hash"
                        + " CROSS JOIN LATERAL (SELECT 10 * sin(extract(epoch FROM w) / 3600 + (h % 7)) AS v) value"
                        + " ORDER BY w")) {
            for (int day = days; day > 0; day--) {
                ps.setTimestamp(1, end);
                ps.setInt(2, day);
                ps.setTimestamp(3, end);
                ps.setInt(4, day - 1);
                aggRows += ps.executeUpdate();
                System.out.printf(Locale.ROOT, "  agg_1m: %,d rows after %.0f s%n", aggRows, (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "loaded %,d rows of telemetry.agg_1m (%d tags x %d days) in %.0f s%n", aggRows, tags, days,
                (System.nanoTime() - started) / 1e9);
        long step = System.nanoTime();
        try (Statement st = admin.createStatement()) {
            st.execute("SET maintenance_work_mem = '256MB'");
            st.execute("CREATE UNIQUE INDEX agg_1m_natural_key ON telemetry.agg_1m (site, device, tag, window_start DESC)");
            System.out.printf(Locale.ROOT, "built agg_1m_natural_key in %.0f s%n", (System.nanoTime() - step) / 1e9);
            step = System.nanoTime();
            int hours = st.executeUpdate("INSERT INTO telemetry.agg_1h (site, device, tag, window_start, window_end, line, count, imputed_count,"
                    + " min, max, sum, avg, first, last, twa, unit)"
                    + " SELECT site, device, tag, h, h + interval '1 hour', min(line), sum(count), sum(imputed_count), min(min), max(max),"
                    + "   sum(sum), sum(sum) / sum(count), (array_agg(first ORDER BY window_start))[1], (array_agg(last ORDER BY window_start DESC))[1],"
                    + "   avg(twa), min(unit)"
                    + " FROM (SELECT *, date_trunc('hour', window_start) AS h FROM telemetry.agg_1m) m"
                    + " GROUP BY site, device, tag, h ORDER BY h");
            System.out.printf(Locale.ROOT, "rolled up %,d rows of telemetry.agg_1h in %.0f s%n", hours, (System.nanoTime() - step) / 1e9);
        }
        step = System.nanoTime();
        try (PreparedStatement ps = admin.prepareStatement(
                "INSERT INTO telemetry.readings (site, device, tag, ts, line, value, unit, quality, origin, imputation, source, ingested_at)"
                        + " SELECT t.site, t.device, t.tag, ts, 'LINE1', 50 + 10 * sin(extract(epoch FROM ts) / 600), 'bar',"
                        + "   CASE WHEN extract(second FROM ts)::int = 30 AND extract(minute FROM ts)::int % 7 = 0 THEN 'UNCERTAIN' ELSE 'GOOD' END,"
                        + "   CASE WHEN extract(second FROM ts)::int = 30 AND extract(minute FROM ts)::int % 7 = 0 THEN 'IMPUTED' ELSE 'MEASURED' END,"
                        + "   CASE WHEN extract(second FROM ts)::int = 30 AND extract(minute FROM ts)::int % 7 = 0 THEN 'LOCF' END,"
                        + "   'modbus-bench', ts + interval '2 seconds'"
                        + " FROM generate_series(?::timestamptz - ? * interval '1 hour', ?::timestamptz, interval '10 seconds') ts"
                        + " CROSS JOIN ops_replica.tags t ORDER BY ts")) {
            ps.setTimestamp(1, end);
            ps.setInt(2, readingHours);
            ps.setTimestamp(3, end);
            int rows = ps.executeUpdate();
            System.out.printf(Locale.ROOT, "loaded %,d readings (last %d h, every 10 s) in %.0f s%n", rows, readingHours, (System.nanoTime() - step) / 1e9);
        }
        try (Statement st = admin.createStatement()) {
            // 3 alerts per 10th device (one cleared), spread over the last days
            st.execute("INSERT INTO alerts.events (alert_id, ts, state, site, line, device, tag, rule_id, kind, severity, value, threshold, raised_at, message)"
                    + " SELECT d.device || '/' || k || '/' || e, r.raised, 'RAISED', d.site, d.line, d.device, 'TAG' || k, 'bench-default',"
                    + "   'HIGH', CASE WHEN k = 1 THEN 'CRITICAL' ELSE 'WARNING' END, 99, 95, r.raised, 'bench alert'"
                    + " FROM ops_replica.devices d, generate_series(1, 3) k, generate_series(1, 5) e,"
                    + "   LATERAL (SELECT now() - (e * 13 + k) * interval '1 hour' AS raised) r"
                    + " WHERE right(d.device, 1) = '0'");
            st.execute("INSERT INTO alerts.events (alert_id, ts, state, site, line, device, tag, rule_id, kind, severity, value, threshold, raised_at, message)"
                    + " SELECT alert_id, raised_at + interval '20 minutes', 'CLEARED', site, line, device, tag, rule_id, kind, severity, 90, 95, raised_at, 'cleared'"
                    + " FROM alerts.events WHERE alert_id NOT LIKE '%/1'");
            st.execute("ANALYZE");
        }
        System.out.printf(Locale.ROOT, "data ready in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    private record Case(String dashboard, String range, DashboardRunner.ExpandedQuery query) {
    }

    private static void measure(Connection viewer, Path repo, Instant now, int iterations) throws Exception {
        Path provisioning = repo.resolve("compose/grafana/provisioning");
        DashboardRunner.Datasource datasource = DashboardRunner.Datasource.fromProvisioning(provisioning.resolve("datasources/tagstream.yaml"));
        DashboardRunner runner = new DashboardRunner(viewer, datasource);
        List<Case> cases = new ArrayList<>();
        for (String file : DASHBOARDS) {
            GrafanaDashboard dashboard = GrafanaDashboard.load(provisioning.resolve("dashboards").resolve(file));
            Map<String, List<String>> selection = file.startsWith("tag")
                    ? Map.of("site", List.of("BENCH"), "device", List.of("DEV040"), "tag", List.of("TAG1"))
                    : Map.of("site", List.of("BENCH"));
            for (String range : List.of("24h", "7d", "30d")) {
                TimeRange timeRange = TimeRange.relative("now-" + range, "now", now);
                DashboardRunner variablesRunner = new DashboardRunner(viewer, datasource);
                Map<String, TemplateVariable> variables = variablesRunner.resolveVariables(dashboard, timeRange, selection);
                List<DashboardRunner.ExpandedQuery> queries = new ArrayList<>(variablesRunner.variableQueries());
                queries.addAll(variablesRunner.expand(dashboard, timeRange, variables, false));
                for (DashboardRunner.ExpandedQuery q : queries) {
                    cases.add(new Case(dashboard.uid().replace("tagstream-", ""), range, q));
                }
            }
        }
        // warm-up over everything first: the JDBC driver's and the JVM's code paths, PostgreSQL's caches
        for (int round = 0; round < 3; round++) {
            for (Case c : cases) {
                runner.run(c.query().sql());
            }
        }
        System.out.printf(Locale.ROOT, "%n%-16s %-48s %-5s %8s %9s %9s %9s%n", "dashboard", "query", "range", "rows", "p50 ms", "p95 ms", "max ms");
        int over = 0;
        for (Case c : cases) {
            DashboardRunner.ExpandedQuery q = c.query();
            int rows = runner.run(q.sql()).rows();
            long[] nanos = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                runner.run(q.sql());
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            long p95 = nanos[(int) Math.ceil(0.95 * iterations) - 1];
            boolean slow = p95 > TARGET_P95.toNanos();
            if (slow) {
                over++;
            }
            String label = q.query().label() + (q.binding().isEmpty() ? "" : " {" + q.binding().replaceAll("^.*/", "") + "}");
            System.out.printf(Locale.ROOT, "%-16s %-48s %-5s %8d %9.1f %9.1f %9.1f%s%n", c.dashboard(), truncate(label, 48), c.range(), rows,
                    nanos[iterations / 2] / 1e6, p95 / 1e6, nanos[iterations - 1] / 1e6, slow ? "  > target" : "");
        }
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "%n%d of %d query/range combinations have p95 above %d ms (%d runs each after a warm-up, viewer role,"
                + " client-side wall time incl. fetching all rows; load average %.1f on %d CPUs)%n",
                over, cases.size(), TARGET_P95.toMillis(), iterations, load, Runtime.getRuntime().availableProcessors());
    }

    private static String truncate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
