package io.tagstream.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A small plant for the dashboard tests, written straight into the telemetry database under a site of its
 * own ({@code GRAFANA-IT-<random>}) so it never meets other tests' data, and removed again by {@link #delete}.
 * Devices: PUMP01 and PUMP02 on LINE1, BOILER01 on LINE2, METER01 without a line, STALE01 silent for two hours.
 * Readings every 10 s for 3 h (some imputed, some late), 1-minute aggregates for 3 days, 1-hour aggregates
 * for 35 days, alerts active and cleared, a threshold rule.
 */
final class DemoPlant {

    final String site = "GRAFANA-IT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    void insert(Connection admin) throws SQLException {
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false);
        try {
            try (Statement st = admin.createStatement()) {
                st.execute("CREATE TEMP TABLE demo_tags (device text, line text, tag text, unit text, lo float8, hi float8, base float8,"
                        + " silent_from interval) ON COMMIT DROP");
                st.execute("INSERT INTO demo_tags VALUES"
                        + " ('PUMP01', 'LINE1', 'PRESS', 'bar', 0, 10, 4, interval '0'),"
                        + " ('PUMP01', 'LINE1', 'TEMP', 'degC', -20, 120, 55, interval '0'),"
                        + " ('PUMP02', 'LINE1', 'PRESS', 'bar', 0, 10, 5, interval '0'),"
                        + " ('PUMP02', 'LINE1', 'FLOW', 'm3/h', 0, 50, 20, interval '0'),"
                        + " ('BOILER01', 'LINE2', 'TEMP', 'degC', 0, 200, 150, interval '0'),"
                        + " ('BOILER01', 'LINE2', 'PRESS', 'bar', 0, 16, 8, interval '0'),"
                        + " ('METER01', NULL, 'POWER', 'kW', 0, 500, 120, interval '0'),"
                        + " ('STALE01', 'LINE2', 'TEMP', 'degC', -20, 120, 30, interval '2 hours')");
            }
            String[] statements = {
                "INSERT INTO ops_replica.sites (site, name, time_zone, latitude, longitude, updated_at, __op, __source_ts_ms)"
                        + " VALUES (?, 'Grafana IT plant ' || ?, 'Asia/Seoul', 37.5665, 126.978, now(), 'c', 0)",
                "INSERT INTO ops_replica.devices (site, device, line, description, updated_at, __op)"
                        + " SELECT DISTINCT ?, device, line, 'demo ' || device, now(), 'c' FROM demo_tags",
                "INSERT INTO ops_replica.tags (site, device, tag, protocol, conn, unit_id, address, type, scale, \"offset\", period_ms,"
                        + " unit, hi, lo, word_order, deadband, deadband_mode, updated_at, __op)"
                        + " SELECT ?, device, tag, 'modbus', 'tcp://127.0.0.1:502', 1, (40001 + 2 * row_number() OVER ())::text, 'FLOAT32',"
                        + " 1, 0, 1000, unit, hi, lo, 'ABCD', 0.5, 'ABSOLUTE', now(), 'c' FROM demo_tags",
                "INSERT INTO ops_replica.thresholds (rule_id, site, device, tag, warning_high, critical_high, warning_low, hysteresis,"
                        + " on_delay_ms, clear_delay_ms, stale_after_ms, enabled, updated_at)"
                        + " VALUES (? || '-default', ?, '*', '*', 90, 110, 0, 1, 0, 0, 600000, true, now())",
                // readings every 10 s for 3 hours; every 17th imputed, every 50th ingested 10 minutes late
                "INSERT INTO telemetry.readings (site, device, tag, ts, line, value, unit, quality, origin, imputation, source, ingested_at)"
                        + " SELECT ?, t.device, t.tag, g.ts, t.line, t.base + 2 * sin(extract(epoch FROM g.ts) / 600), t.unit,"
                        + "   CASE WHEN n % 17 = 0 THEN 'UNCERTAIN' ELSE 'GOOD' END,"
                        + "   CASE WHEN n % 17 = 0 THEN 'IMPUTED' ELSE 'MEASURED' END,"
                        + "   CASE WHEN n % 17 = 0 THEN 'LINEAR' END,"
                        + "   CASE WHEN t.device = 'METER01' THEN 'http-source' ELSE 'modbus-demo' END,"
                        + "   g.ts + CASE WHEN n % 50 = 0 THEN interval '10 minutes' ELSE interval '2 seconds' END"
                        + " FROM demo_tags t,"
                        + "   LATERAL (SELECT ts, row_number() OVER (ORDER BY ts) AS n"
                        + "            FROM generate_series(?::timestamptz - interval '3 hours', ?::timestamptz - t.silent_from, interval '10 seconds') ts) g",
                "INSERT INTO telemetry.agg_1m (site, device, tag, window_start, window_end, line, count, imputed_count, min, max, sum, avg, first, last, twa, unit, ingested_at)"
                        + " SELECT ?, t.device, t.tag, w, w + interval '1 minute', t.line, 6, CASE WHEN extract(minute FROM w)::int % 13 = 0 THEN 1 ELSE 0 END,"
                        + "   t.base - 1, t.base + 1, 6 * (t.base + sin(extract(epoch FROM w) / 3600)), t.base + sin(extract(epoch FROM w) / 3600),"
                        + "   t.base, t.base, t.base, t.unit, w + interval '75 seconds'"
                        + " FROM demo_tags t, generate_series(date_trunc('minute', ?::timestamptz) - interval '3 days',"
                        + "   date_trunc('minute', ?::timestamptz) - t.silent_from - interval '1 minute', interval '1 minute') w",
                "INSERT INTO telemetry.agg_1h (site, device, tag, window_start, window_end, line, count, imputed_count, min, max, sum, avg, first, last, twa, unit)"
                        + " SELECT ?, t.device, t.tag, w, w + interval '1 hour', t.line, 360, CASE WHEN extract(hour FROM w)::int % 5 = 0 THEN 12 ELSE 0 END,"
                        + "   t.base - 3, t.base + 3, 360 * t.base, t.base + sin(extract(epoch FROM w) / 86400), t.base, t.base, t.base, t.unit"
                        + " FROM demo_tags t, generate_series(date_trunc('hour', ?::timestamptz) - interval '35 days',"
                        + "   date_trunc('hour', ?::timestamptz) - interval '1 hour', interval '1 hour') w",
            };
            Timestamp ts = Timestamp.from(now);
            for (String sql : statements) {
                try (PreparedStatement ps = admin.prepareStatement(sql)) {
                    int params = ps.getParameterMetaData().getParameterCount();
                    ps.setString(1, site);
                    for (int i = 2; i <= params; i++) {
                        if (sql.contains("?::timestamptz")) {
                            ps.setTimestamp(i, ts);
                        } else {
                            ps.setString(i, site);
                        }
                    }
                    ps.executeUpdate();
                }
            }
            alert(admin, "PRESS-HIGH", "PUMP01", "PRESS", "HIGH", "CRITICAL", 30, "RAISED");
            alert(admin, "TEMP-HIGH", "BOILER01", "TEMP", "HIGH", "WARNING", 120, "RAISED");
            alert(admin, "TEMP-HIGH", "BOILER01", "TEMP", "HIGH", "CRITICAL", 90, "ESCALATED");
            alert(admin, "FLOW-LOW", "PUMP02", "FLOW", "LOW", "WARNING", 300, "RAISED");
            alert(admin, "FLOW-LOW", "PUMP02", "FLOW", "LOW", "WARNING", 240, "CLEARED");
            alert(admin, "TEMP-STALE", "STALE01", "TEMP", "STALE", "WARNING", 110, "RAISED");
            admin.commit();
        } catch (SQLException | RuntimeException e) {
            admin.rollback();
            throw e;
        } finally {
            admin.setAutoCommit(autoCommit);
        }
    }

    private void alert(Connection admin, String id, String device, String tag, String kind, String severity, int minutesAgo, String state)
            throws SQLException {
        String sql = "INSERT INTO alerts.events (alert_id, ts, state, site, line, device, tag, rule_id, kind, severity, value, threshold, raised_at, message)"
                + " VALUES (?, ?, ?, ?, (SELECT line FROM ops_replica.devices WHERE site = ? AND device = ?), ?, ?, ? || '-default', ?, ?, 111, 110,"
                + " (SELECT coalesce(min(ts), ?) FROM alerts.events WHERE alert_id = ?), ?)";
        String alertId = site + "/" + id;
        Timestamp at = Timestamp.from(now.minus(minutesAgo, ChronoUnit.MINUTES));
        try (PreparedStatement ps = admin.prepareStatement(sql)) {
            ps.setString(1, alertId);
            ps.setTimestamp(2, at);
            ps.setString(3, state);
            ps.setString(4, site);
            ps.setString(5, site);
            ps.setString(6, device);
            ps.setString(7, device);
            ps.setString(8, tag);
            ps.setString(9, site);
            ps.setString(10, kind);
            ps.setString(11, severity);
            ps.setTimestamp(12, at);
            ps.setString(13, alertId);
            ps.setString(14, device + " " + tag + " " + kind + " " + state.toLowerCase(java.util.Locale.ROOT));
            ps.executeUpdate();
        }
    }

    void delete(Connection admin) throws SQLException {
        for (String table : new String[] {"telemetry.readings", "telemetry.agg_1m", "telemetry.agg_1h", "alerts.events",
                "ops_replica.tags", "ops_replica.devices", "ops_replica.sites", "ops_replica.thresholds"}) {
            try (PreparedStatement ps = admin.prepareStatement("DELETE FROM " + table + " WHERE site = ?")) {
                ps.setString(1, site);
                ps.executeUpdate();
            }
        }
    }
}
