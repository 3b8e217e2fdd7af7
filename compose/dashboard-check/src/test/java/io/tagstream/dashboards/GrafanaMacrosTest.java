package io.tagstream.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The expansions Grafana documents and tests for its PostgreSQL datasource (macro engine tests of
 * pkg/tsdb/grafana-postgresql-datasource, the datasource's documentation, and the SQL datasources'
 * variable interpolation), reproduced one by one.
 */
class GrafanaMacrosTest {

    // the range of Grafana's own macro tests: 2018-04-12 18:00 .. 18:05 UTC
    private static final Instant FROM = Instant.parse("2018-04-12T18:00:00Z");
    private static final TimeRange RANGE = new TimeRange(FROM, FROM.plus(Duration.ofMinutes(5)));

    private static String macros(String sql) {
        return GrafanaMacros.expandMacros(sql, RANGE, false);
    }

    private static String timescale(String sql) {
        return GrafanaMacros.expandMacros(sql, RANGE, true);
    }

    @Test
    void timeColumnsAndFilters() {
        assertThat(macros("select $__time(time_column)")).isEqualTo("select time_column AS \"time\"");
        assertThat(macros("select min($__time(time_column))")).isEqualTo("select min(time_column AS \"time\")");
        assertThat(macros("select $__timeEpoch(time_column)")).isEqualTo("select extract(epoch from time_column) as \"time\"");
        assertThat(macros("WHERE $__timeFilter(time_column)"))
                .isEqualTo("WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'");
        assertThat(macros("select $__timeFrom()")).isEqualTo("select '2018-04-12T18:00:00Z'");
        assertThat(macros("select $__timeTo()")).isEqualTo("select '2018-04-12T18:05:00Z'");
        assertThat(macros("select $__unixEpochFilter(time)"))
                .isEqualTo("select time >= " + FROM.getEpochSecond() + " AND time <= " + (FROM.getEpochSecond() + 300));
        assertThat(macros("select $__unixEpochNanoFilter(time)"))
                .isEqualTo("select time >= 1523556000000000000 AND time <= 1523556300000000000");
        assertThat(macros("select $__unixEpochNanoFrom(), $__unixEpochNanoTo()")).isEqualTo("select 1523556000000000000, 1523556300000000000");
    }

    @Test
    void fractionalSecondsAreWrittenLikeGo() {
        TimeRange range = new TimeRange(Instant.parse("1960-02-01T07:00:00.5Z"), Instant.parse("1980-02-03T08:00:00.5Z"));
        assertThat(GrafanaMacros.expandMacros("WHERE $__timeFilter(time_column)", range, false))
                .isEqualTo("WHERE time_column BETWEEN '1960-02-01T07:00:00.5Z' AND '1980-02-03T08:00:00.5Z'");
        assertThat(GrafanaMacros.rfc3339Nano(Instant.parse("2026-01-01T00:00:00.123456789Z"))).isEqualTo("2026-01-01T00:00:00.123456789Z");
        assertThat(GrafanaMacros.rfc3339Nano(Instant.parse("2026-01-01T00:00:00.120Z"))).isEqualTo("2026-01-01T00:00:00.12Z");
    }

    @Test
    void timeGroupOnPlainPostgresql() {
        assertThat(macros("SELECT $__timeGroup(time_column,'5m')")).isEqualTo("SELECT floor(extract(epoch from time_column)/300)*300");
        assertThat(macros("SELECT $__timeGroupAlias(time_column,'5m')")).isEqualTo("SELECT floor(extract(epoch from time_column)/300)*300 AS \"time\"");
        assertThat(macros("$__timeGroup(time_column , '5m')")).isEqualTo("floor(extract(epoch from time_column)/300)*300");
        assertThat(macros("$__timeGroup(time_column, 20ms)")).isEqualTo("floor(extract(epoch from time_column)/0.02)*0.02");
        assertThat(macros("$__timeGroup(time_column, '12d')")).isEqualTo("floor(extract(epoch from time_column)/1.0368e+06)*1.0368e+06");
        assertThat(macros("SELECT $__unixEpochGroup(time_column+time_adjustment,'5m')")).isEqualTo("SELECT floor((time_column+time_adjustment)/300)*300");
        assertThat(macros("SELECT $__unixEpochGroupAlias(time_column,'5m')")).isEqualTo("SELECT floor((time_column)/300)*300 AS \"time\"");
    }

    @Test
    void timeGroupFollowedByACommaGetsItsAliasAsBeforeGrafana53() {
        assertThat(macros("SELECT $__timeGroup(time_column,'5m'), value"))
                .isEqualTo("SELECT floor(extract(epoch from time_column)/300)*300 AS \"time\", value");
        assertThat(macros("SELECT $__timeGroup(time_column,'5m') as time, value"))
                .isEqualTo("SELECT floor(extract(epoch from time_column)/300)*300 as time, value");
    }

    @Test
    void timeGroupWithTimescaleDbUsesTimeBucket() {
        assertThat(timescale("GROUP BY $__timeGroup(time_column,'5m')")).isEqualTo("GROUP BY time_bucket('300.000s',time_column)");
        assertThat(timescale("GROUP BY $__timeGroup(time_column , '5m')")).isEqualTo("GROUP BY time_bucket('300.000s',time_column)");
        assertThat(timescale("GROUP BY $__timeGroup(time_column , '12d')")).isEqualTo("GROUP BY time_bucket('1036800.000s',time_column)");
        assertThat(timescale("GROUP BY $__timeGroup(time_column , '20ms')")).isEqualTo("GROUP BY time_bucket('0.020s',time_column)");
    }

    @Test
    void fillModesAreAcceptedAndBadOnesRejected() {
        assertThat(macros("$__timeGroup(ts, '1m', NULL)")).isEqualTo("floor(extract(epoch from ts)/60)*60");
        assertThat(macros("$__timeGroup(ts, '1m', previous)")).isEqualTo("floor(extract(epoch from ts)/60)*60");
        assertThat(macros("$__timeGroup(ts, '1m', 0)")).isEqualTo("floor(extract(epoch from ts)/60)*60");
        assertThatThrownBy(() -> macros("$__timeGroup(ts, '1m', nothing)")).hasMessageContaining("fill value");
        assertThatThrownBy(() -> macros("$__timeGroup(ts)")).hasMessageContaining("needs time column and interval");
        assertThatThrownBy(() -> macros("$__timeGroup(ts, 'soon')")).hasMessageContaining("error parsing interval");
        assertThatThrownBy(() -> macros("$__timeFilter()")).hasMessageContaining("missing time column");
        assertThatThrownBy(() -> macros("$__nosuch(ts)")).hasMessageContaining("unknown macro");
    }

    @Test
    void serverSideIntervalAndEpochVariables() {
        Map<String, TemplateVariable> none = Map.of();
        GrafanaMacros.Context context = new GrafanaMacros.Context(RANGE, Duration.ofMinutes(10), none, false);
        // the SQL datasource documentation's example of the SQLCommenter test: SELECT $__interval -> SELECT 10m
        assertThat(GrafanaMacros.expand("SELECT $__interval", context)).isEqualTo("SELECT 10m");
        assertThat(GrafanaMacros.expand("SELECT $__interval_ms", context)).isEqualTo("SELECT 600000");
        assertThat(GrafanaMacros.expand("SELECT $__unixEpochFrom(), $__unixEpochTo()", context))
                .isEqualTo("SELECT " + FROM.getEpochSecond() + ", " + (FROM.getEpochSecond() + 300));
        assertThat(GrafanaMacros.expand("SELECT $__timeGroupAlias(ts, $__interval), count(*)", context))
                .isEqualTo("SELECT floor(extract(epoch from ts)/600)*600 AS \"time\", count(*)");
        assertThat(GrafanaMacros.expand("SELECT $__timeGroupAlias(ts, '$__interval')", new GrafanaMacros.Context(RANGE, Duration.ofMinutes(1), none, true)))
                .isEqualTo("SELECT time_bucket('60.000s',ts) AS \"time\"");
    }

    @Test
    void intervalFollowsTheBrowsersRounding() {
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        assertThat(GrafanaMacros.calculateInterval(TimeRange.last(Duration.ofHours(6), now), 1000, null)).isEqualTo(Duration.ofSeconds(20));
        assertThat(GrafanaMacros.calculateInterval(TimeRange.last(Duration.ofHours(6), now), 1000, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(GrafanaMacros.calculateInterval(TimeRange.last(Duration.ofDays(7), now), 1000, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(10));
        assertThat(GrafanaMacros.calculateInterval(TimeRange.last(Duration.ofDays(30), now), 1000, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(30));
        assertThat(GrafanaMacros.secondsToHms(600_000)).isEqualTo("10m");
        assertThat(GrafanaMacros.secondsToHms(500)).isEqualTo("500ms");
        assertThat(GrafanaMacros.formatInterval(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(GrafanaMacros.formatInterval(Duration.ofSeconds(90))).isEqualTo("1m");
        assertThat(GrafanaMacros.parseInterval("1w")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void templateVariablesAsTheSqlDatasourceInterpolatesThem() {
        TemplateVariable site = new TemplateVariable("site", true, true, null, false, List.of("A1", "O'Hare"), List.of("A1", "O'Hare"));
        TemplateVariable all = new TemplateVariable("line", true, true, null, true, List.of("LINE1", "LINE2"), List.of("LINE1", "LINE2"));
        TemplateVariable customAll = new TemplateVariable("device", true, true, "*", true, List.of("P1", "P2"), List.of("P1", "P2"));
        TemplateVariable single = TemplateVariable.single("tag", "it's");
        TemplateVariable multiOne = new TemplateVariable("kind", true, false, null, false, List.of("HIGH"), List.of("HIGH"));
        Map<String, TemplateVariable> vars = Map.of("site", site, "line", all, "device", customAll, "tag", single, "kind", multiOne);
        Map<String, String> builtins = GrafanaMacros.builtins(RANGE, Duration.ofMinutes(1));

        // multi-value and All-enabled variables are quoted, quotes doubled
        assertThat(GrafanaMacros.interpolateVariables("site IN ($site)", vars, builtins)).isEqualTo("site IN ('A1','O''Hare')");
        assertThat(GrafanaMacros.interpolateVariables("site IN (${site})", vars, builtins)).isEqualTo("site IN ('A1','O''Hare')");
        assertThat(GrafanaMacros.interpolateVariables("site IN ([[site]])", vars, builtins)).isEqualTo("site IN ('A1','O''Hare')");
        assertThat(GrafanaMacros.interpolateVariables("kind IN ($kind)", vars, builtins)).isEqualTo("kind IN ('HIGH')");
        // All without a custom all value: every option
        assertThat(GrafanaMacros.interpolateVariables("line IN ($line)", vars, builtins)).isEqualTo("line IN ('LINE1','LINE2')");
        // a custom all value goes in verbatim
        assertThat(GrafanaMacros.interpolateVariables("device LIKE '$device'", vars, builtins)).isEqualTo("device LIKE '*'");
        // a single-value variable is only escaped; the query quotes it
        assertThat(GrafanaMacros.interpolateVariables("tag = '$tag'", vars, builtins)).isEqualTo("tag = 'it''s'");
        // explicit formats
        assertThat(GrafanaMacros.interpolateVariables("tag = ${tag:sqlstring}", vars, builtins)).isEqualTo("tag = 'it''s'");
        assertThat(GrafanaMacros.interpolateVariables("${site:sqlstring}", vars, builtins)).isEqualTo("'A1','O''Hare'");
        assertThat(GrafanaMacros.interpolateVariables("${line:csv}", vars, builtins)).isEqualTo("LINE1,LINE2");
        assertThat(GrafanaMacros.interpolateVariables("${line:pipe}", vars, builtins)).isEqualTo("LINE1|LINE2");
        assertThat(GrafanaMacros.interpolateVariables("${site:singlequote}", vars, builtins)).isEqualTo("'A1','O\\'Hare'");
        assertThat(GrafanaMacros.interpolateVariables("${line:text}", vars, builtins)).isEqualTo("All");
        // built-ins, and names that are neither stay for the server
        assertThat(GrafanaMacros.interpolateVariables("$__interval $__interval_ms $__range $nosuch $__timeFilter(ts)", vars, builtins))
                .isEqualTo("1m 60000 5m $nosuch $__timeFilter(ts)");
        // inside a repeat, the variable is bound to one value and still quoted
        assertThat(GrafanaMacros.interpolateVariables("IN ($site)", Map.of("site", site.bind("A1", "A1")), builtins)).isEqualTo("IN ('A1')");
    }

    @Test
    void everythingTogether() {
        TemplateVariable site = new TemplateVariable("site", true, true, null, false, List.of("A1"), List.of("A1"));
        GrafanaMacros.Context context = new GrafanaMacros.Context(RANGE, Duration.ofMinutes(1), Map.of("site", site), true);
        assertThat(GrafanaMacros.expand("SELECT $__timeGroupAlias(ts, $__interval), avg(value) FROM t WHERE $__timeFilter(ts) AND site IN ($site) GROUP BY 1", context))
                .isEqualTo("SELECT time_bucket('60.000s',ts) AS \"time\", avg(value) FROM t"
                        + " WHERE ts BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z' AND site IN ('A1') GROUP BY 1");
    }
}
