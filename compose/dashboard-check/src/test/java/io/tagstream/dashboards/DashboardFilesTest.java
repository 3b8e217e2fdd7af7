package io.tagstream.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The provisioning files on their own, without a database: wiring, conventions, and that every query expands. */
class DashboardFilesTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)|\\[\\[(\\w+)");
    private static List<GrafanaDashboard> dashboards;
    private static DashboardRunner.Datasource datasource;

    @BeforeAll
    static void load() throws Exception {
        dashboards = GrafanaDashboard.loadAll(DashboardFiles.dashboardsDirectory());
        datasource = DashboardRunner.Datasource.fromProvisioning(DashboardFiles.datasourceFile());
    }

    @Test
    void theFourDashboardsAreThere() {
        assertThat(dashboards).extracting(GrafanaDashboard::title).containsExactlyInAnyOrder(
                "Tagstream / Plant overview", "Tagstream / Tag detail", "Tagstream / Alerts", "Tagstream / Pipeline health");
        assertThat(dashboards).extracting(GrafanaDashboard::uid).doesNotHaveDuplicates();
        for (GrafanaDashboard d : dashboards) {
            assertThat(d.json().path("schemaVersion").asInt()).as(d.title()).isGreaterThanOrEqualTo(39);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : d.json().path("panels")) {
                assertThat(ids.add(panel.path("id").asInt())).as(d.title() + " panel id " + panel.path("id")).isTrue();
                assertThat(panel.path("gridPos").path("w").asInt()).as(d.title() + " / " + panel.path("title")).isBetween(1, 24);
            }
        }
    }

    @Test
    void theDatasourceIsTheViewerWithASecretFromTheEnvironment() throws Exception {
        JsonNode ds = new ObjectMapper(new YAMLFactory()).readTree(DashboardFiles.datasourceFile().toFile()).path("datasources").path(0);
        assertThat(ds.path("type").asText()).isEqualTo("grafana-postgresql-datasource");
        assertThat(ds.path("user").asText()).isEqualTo("viewer");
        assertThat(ds.path("secureJsonData").path("password").asText()).matches("\\$\\{[A-Z_]+}|\\$__(env|file)\\{[^}]+}");
        assertThat(ds.has("password")).as("no plain password field").isFalse();
        assertThat(datasource.timescaledb()).isTrue();
        assertThat(datasource.minInterval()).isEqualTo(Duration.ofMinutes(1));

        JsonNode provider = new ObjectMapper(new YAMLFactory()).readTree(DashboardFiles.dashboardsDirectory().resolve("tagstream.yaml").toFile())
                .path("providers").path(0);
        assertThat(provider.path("options").path("path").asText()).isEqualTo("/etc/grafana/provisioning/dashboards");
    }

    @Test
    void everyQueryUsesTheProvisionedDatasourceAndTheReplicatedOpsTables() {
        Pattern operationalSchema = Pattern.compile("(?<![\\w.])ops\\.");
        for (GrafanaDashboard d : dashboards) {
            for (GrafanaDashboard.Query q : d.queries()) {
                String label = d.title() + " / " + q.label();
                assertThat(q.datasourceUid()).as(label).isEqualTo(datasource.uid());
                assertThat(q.rawSql()).as(label).isNotBlank();
                assertThat(q.format()).as(label).isIn("table", "time_series");
                assertThat(operationalSchema.matcher(q.rawSql()).find()).as(label + " reads ops.* instead of ops_replica.*").isFalse();
                assertThat(q.rawSql()).as(label + ": Grafana 12 strips SQL comments before expanding macros").doesNotContain("--", "/*");
            }
            for (GrafanaDashboard.Variable v : d.variables()) {
                if (v.type().equals("query")) {
                    assertThat(v.datasourceUid()).as(d.title() + " $" + v.name()).isEqualTo(datasource.uid());
                    assertThat(operationalSchema.matcher(v.query()).find()).as(d.title() + " $" + v.name()).isFalse();
                }
            }
        }
    }

    @Test
    void everyVariableAQueryUsesIsDefinedBeforeUse() {
        for (GrafanaDashboard d : dashboards) {
            List<String> defined = new ArrayList<>();
            for (GrafanaDashboard.Variable v : d.variables()) {
                if (v.type().equals("query")) {
                    assertThat(variablesIn(v.query())).as(d.title() + " $" + v.name() + " uses only earlier variables").isSubsetOf(defined);
                }
                defined.add(v.name());
            }
            for (GrafanaDashboard.Query q : d.queries()) {
                assertThat(variablesIn(q.rawSql())).as(d.title() + " / " + q.label()).isSubsetOf(defined);
            }
        }
    }

    @Test
    void everyQueryExpandsForTheRangesOperatorsPick() {
        Instant now = Instant.parse("2026-11-30T09:00:00Z");
        for (GrafanaDashboard d : dashboards) {
            Map<String, TemplateVariable> vars = new LinkedHashMap<>();
            for (GrafanaDashboard.Variable v : d.variables()) {
                vars.put(v.name(), new TemplateVariable(v.name(), v.multi(), v.includeAll(), v.allValue(), false, List.of("X"), List.of("X")));
            }
            for (Duration range : List.of(Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(30))) {
                for (GrafanaDashboard.Query q : d.queries()) {
                    GrafanaMacros.Context context = new GrafanaMacros.Context(TimeRange.last(range, now),
                            GrafanaMacros.calculateInterval(TimeRange.last(range, now), GrafanaMacros.DEFAULT_MAX_DATA_POINTS, datasource.minInterval()),
                            vars, datasource.timescaledb());
                    String sql = GrafanaMacros.expand(q.rawSql(), context);
                    assertThat(sql).as(d.title() + " / " + q.label()).doesNotContain("$");
                }
            }
        }
    }

    @Test
    void tagDetailOffersTheThreeRanges() throws Exception {
        JsonNode tag = new ObjectMapper().readTree(Files.readString(DashboardFiles.dashboardsDirectory().resolve("tag-detail.json"), StandardCharsets.UTF_8));
        assertThat(tag.path("timepicker").path("quick_ranges").findValuesAsText("from")).containsExactly("now-24h", "now-7d", "now-30d");
    }

    private static Set<String> variablesIn(String sql) {
        Set<String> names = new HashSet<>();
        Matcher m = VARIABLE.matcher(sql);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            if (!name.startsWith("__")) { // $__macros and built-ins are Grafana's
                names.add(name);
            }
        }
        return names;
    }
}
