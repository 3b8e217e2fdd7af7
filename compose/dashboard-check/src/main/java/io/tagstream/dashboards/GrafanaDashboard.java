package io.tagstream.dashboards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parts of a provisioned dashboard JSON (Grafana's classic dashboard model) that decide which SQL
 * Grafana runs: template variables in order, and every query of every panel (rows and repeats included)
 * and of every annotation.
 */
public record GrafanaDashboard(Path file, String uid, String title, String timeFrom, String timeTo,
                               List<Variable> variables, List<Query> queries, JsonNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RELATIVE_OVERRIDE = Pattern.compile("(\\d+)(s|m|h|d|w|M|y)");

    /**
     * A template variable definition.
     *
     * @param type    query, custom, constant or textbox
     * @param query   the SQL of a query variable, the comma-separated options of a custom one, the value otherwise
     * @param current the saved selection: "$__all" for All, else values
     */
    public record Variable(String name, String type, String query, boolean multi, boolean includeAll, String allValue,
                           List<String> current, String datasourceUid) {
    }

    /**
     * One query Grafana issues.
     *
     * @param panel      panel title (or "annotation: name")
     * @param repeat     the variable a surrounding row or the panel itself repeats over, or null
     * @param timeOverride a panel's relative time ("1h": the last hour, whatever the dashboard range), or null
     */
    public record Query(String panel, int panelId, String refId, String rawSql, String format, String repeat,
                        Duration timeOverride, String datasourceUid) {

        public String label() {
            return panel + " [" + refId + "]";
        }
    }

    /** Every dashboard JSON file of a provisioning directory, by file name. */
    public static List<GrafanaDashboard> loadAll(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<GrafanaDashboard> dashboards = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(load(file));
            }
            return dashboards;
        }
    }

    public static GrafanaDashboard load(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        List<Variable> variables = new ArrayList<>();
        for (JsonNode v : root.path("templating").path("list")) {
            List<String> current = new ArrayList<>();
            JsonNode value = v.path("current").path("value");
            if (value.isArray()) {
                value.forEach(x -> current.add(x.asText()));
            } else if (!value.isMissingNode() && !value.isNull()) {
                current.add(value.asText());
            }
            variables.add(new Variable(v.path("name").asText(), v.path("type").asText(), queryText(v.path("query")),
                    v.path("multi").asBoolean(false), v.path("includeAll").asBoolean(false),
                    v.hasNonNull("allValue") && !v.path("allValue").asText().isEmpty() ? v.path("allValue").asText() : null,
                    current, v.path("datasource").path("uid").asText(null)));
        }
        List<Query> queries = new ArrayList<>();
        String rowRepeat = null;
        for (JsonNode panel : root.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                rowRepeat = panel.hasNonNull("repeat") && !panel.path("repeat").asText().isEmpty() ? panel.path("repeat").asText() : null;
                for (JsonNode inner : panel.path("panels")) { // a collapsed row keeps its panels inside
                    addPanelQueries(inner, rowRepeat, queries);
                }
            } else {
                addPanelQueries(panel, rowRepeat, queries);
            }
        }
        for (JsonNode annotation : root.path("annotations").path("list")) {
            JsonNode target = annotation.path("target");
            if (target.hasNonNull("rawSql")) {
                queries.add(new Query("annotation: " + annotation.path("name").asText(), 0, target.path("refId").asText("Anno"),
                        target.path("rawSql").asText(), target.path("format").asText("table"), null, null,
                        annotation.path("datasource").path("uid").asText(null)));
            }
        }
        return new GrafanaDashboard(file, root.path("uid").asText(), root.path("title").asText(),
                root.path("time").path("from").asText("now-6h"), root.path("time").path("to").asText("now"),
                List.copyOf(variables), List.copyOf(queries), root);
    }

    private static void addPanelQueries(JsonNode panel, String rowRepeat, List<Query> queries) {
        String repeat = panel.hasNonNull("repeat") && !panel.path("repeat").asText().isEmpty() ? panel.path("repeat").asText() : rowRepeat;
        Duration override = null;
        if (panel.hasNonNull("timeFrom") && !panel.path("timeFrom").asText().isEmpty()) {
            Matcher m = RELATIVE_OVERRIDE.matcher(panel.path("timeFrom").asText());
            if (!m.matches()) {
                throw new IllegalArgumentException("panel " + panel.path("title").asText() + ": unsupported timeFrom " + panel.path("timeFrom"));
            }
            override = TimeRange.unitDuration(m.group(2)).multipliedBy(Long.parseLong(m.group(1)));
        }
        String panelDatasource = panel.path("datasource").path("uid").asText(null);
        for (JsonNode target : panel.path("targets")) {
            String datasource = target.path("datasource").path("uid").asText(panelDatasource);
            queries.add(new Query(panel.path("title").asText(), panel.path("id").asInt(), target.path("refId").asText(),
                    target.path("rawSql").asText(null), target.path("format").asText(null), repeat, override, datasource));
        }
    }

    private static String queryText(JsonNode query) {
        if (query.isTextual()) {
            return query.asText();
        }
        // newer Grafana saves a variable query as an object; the SQL is in rawSql (or query)
        if (query.hasNonNull("rawSql")) {
            return query.path("rawSql").asText();
        }
        return query.path("query").asText(null);
    }

    public Variable variable(String name) {
        return variables.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(title + " has no variable $" + name));
    }

    /** The dashboard's saved range, e.g. now-6h .. now. */
    public TimeRange defaultRange(java.time.Instant now) {
        return TimeRange.relative(timeFrom, timeTo, now);
    }
}
