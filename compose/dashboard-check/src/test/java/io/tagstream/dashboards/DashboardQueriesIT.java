package io.tagstream.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.StackDatabase;

/**
 * Every variable, panel and annotation query of every dashboard, expanded as Grafana expands it, run as the
 * viewer role against the shared stack's PostgreSQL (migrated by the real migrations) holding a demo plant:
 * each must run without error and return rows, for the dashboard's own range and for 24 h, 7 d and 30 d.
 */
class DashboardQueriesIT {

    private static StackEndpoints stack;
    private static StackDatabase database;
    private static DemoPlant plant;
    private static List<GrafanaDashboard> dashboards;
    private static DashboardRunner.Datasource datasource;

    @BeforeAll
    static void demoPlant() throws Exception {
        stack = SharedStack.get();
        database = new StackDatabase(stack);
        dashboards = GrafanaDashboard.loadAll(DashboardFiles.dashboardsDirectory());
        datasource = DashboardRunner.Datasource.fromProvisioning(DashboardFiles.datasourceFile());
        plant = new DemoPlant();
        try (Connection admin = admin()) {
            plant.insert(admin);
        }
    }

    @AfterAll
    static void removeDemoPlant() throws Exception {
        if (plant != null) {
            try (Connection admin = admin()) {
                plant.delete(admin);
            }
        }
    }

    private static Connection admin() throws SQLException {
        return database.superuser();
    }

    private static Connection viewer() throws SQLException {
        // as Grafana: one-off statements, planned each time (no server-side prepared statements)
        return DriverManager.getConnection(stack.jdbcUrl() + "?prepareThreshold=0", "viewer", stack.rolePassword("viewer"));
    }

    /** The demo plant selected the way an operator would: its site, everything else as saved (All, or the first option). */
    private static Map<String, List<String>> selection(GrafanaDashboard dashboard) {
        if (dashboard.uid().equals("tagstream-tag-detail")) {
            return Map.of("site", List.of(plant.site), "device", List.of("PUMP01"), "tag", List.of("PRESS"));
        }
        return Map.of("site", List.of(plant.site));
    }

    @TestFactory
    Stream<DynamicTest> everyQueryReturnsRowsAsTheViewer() {
        List<DynamicTest> tests = new ArrayList<>();
        for (GrafanaDashboard dashboard : dashboards) {
            List<String> ranges = List.of("dashboard default", "now-24h", "now-7d", "now-30d");
            for (String range : ranges) {
                tests.add(DynamicTest.dynamicTest(dashboard.title() + " @ " + range, () -> runAll(dashboard, range)));
            }
        }
        return tests.stream();
    }

    private static void runAll(GrafanaDashboard dashboard, String rangeName) throws Exception {
        TimeRange range = rangeName.equals("dashboard default") ? dashboard.defaultRange(plant.now)
                : TimeRange.relative(rangeName, "now", plant.now);
        List<String> failures = new ArrayList<>();
        int ran = 0;
        try (Connection viewer = viewer()) {
            DashboardRunner runner = new DashboardRunner(viewer, datasource);
            Map<String, TemplateVariable> variables = runner.resolveVariables(dashboard, range, selection(dashboard));
            List<DashboardRunner.ExpandedQuery> queries = new ArrayList<>(runner.variableQueries());
            queries.addAll(runner.expand(dashboard, range, variables, true));
            for (DashboardRunner.ExpandedQuery q : queries) {
                ran++;
                try {
                    DashboardRunner.Result result = runner.run(q.sql());
                    boolean silent = silentDevice(q);
                    if (result.rows() == 0 && !silent) {
                        failures.add(q.label() + ": no rows\n" + q.sql());
                    } else if (result.rows() > 0 && silent) {
                        failures.add(q.label() + ": the silent device's last hour should be empty\n" + q.sql());
                    }
                } catch (SQLException e) {
                    failures.add(q.label() + ": " + e.getMessage() + "\n" + q.sql());
                }
            }
        }
        assertThat(ran).isGreaterThan(dashboard.queries().size() - 1);
        assertThat(failures).as("queries of %s @ %s that failed or returned nothing", dashboard.title(), rangeName).isEmpty();
    }

    /** STALE01 stopped two hours ago: its card's last-hour sparkline is rightly empty ("No data"). */
    private static boolean silentDevice(DashboardRunner.ExpandedQuery q) {
        return q.query().panel().startsWith("Last hour") && q.binding().endsWith("/STALE01");
    }

    @Test
    void tagDetailReadsMinuteAggregatesUpToTwoDaysAndHourAggregatesBeyond() throws Exception {
        GrafanaDashboard tagDetail = dashboards.stream().filter(d -> d.uid().equals("tagstream-tag-detail")).findFirst().orElseThrow();
        try (Connection viewer = viewer()) {
            DashboardRunner runner = new DashboardRunner(viewer, datasource);
            Map<String, Integer> rows = new java.util.LinkedHashMap<>();
            for (String range : List.of("now-24h", "now-7d", "now-30d")) {
                TimeRange timeRange = TimeRange.relative(range, "now", plant.now);
                Map<String, TemplateVariable> vars = runner.resolveVariables(tagDetail, timeRange, selection(tagDetail));
                DashboardRunner.ExpandedQuery series = runner.expand(tagDetail, timeRange, vars, true).stream()
                        .filter(q -> q.query().panel().endsWith("min / avg / max")).findFirst().orElseThrow();
                DashboardRunner.Result result = runner.run(series.sql());
                assertThat(result.columns()).containsExactly("time", "min", "avg", "max", "imputed");
                rows.put(range, result.rows());
            }
            assertThat(rows.get("now-24h")).as("one point a minute").isBetween(1439, 1441);
            assertThat(rows.get("now-7d")).as("one point an hour").isBetween(167, 169);
            assertThat(rows.get("now-30d")).as("one point an hour").isBetween(719, 721);
        }
    }

    @Test
    void variablesFollowEachOther() throws Exception {
        GrafanaDashboard overview = dashboards.stream().filter(d -> d.uid().equals("tagstream-plant-overview")).findFirst().orElseThrow();
        try (Connection viewer = viewer()) {
            DashboardRunner runner = new DashboardRunner(viewer, datasource);
            Map<String, TemplateVariable> all = runner.resolveVariables(overview, TimeRange.last(Duration.ofHours(6), plant.now),
                    Map.of("site", List.of(plant.site)));
            assertThat(all.get("line").values()).containsExactly("-", "LINE1", "LINE2");
            assertThat(all.get("device").all()).isTrue();
            assertThat(all.get("device").values()).hasSize(5).allMatch(d -> d.startsWith(plant.site + "/"));

            Map<String, TemplateVariable> line1 = runner.resolveVariables(overview, TimeRange.last(Duration.ofHours(6), plant.now),
                    Map.of("site", List.of(plant.site), "line", List.of("LINE1")));
            assertThat(line1.get("device").values()).containsExactly(plant.site + "/PUMP01", plant.site + "/PUMP02");
            // one card (row) per device
            long cards = runner.expand(overview, TimeRange.last(Duration.ofHours(6), plant.now), line1, true).stream()
                    .filter(q -> q.query().panel().equals("Status")).count();
            assertThat(cards).isEqualTo(2);
        }
    }
}
