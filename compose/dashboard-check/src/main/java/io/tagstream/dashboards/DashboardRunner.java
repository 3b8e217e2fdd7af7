package io.tagstream.dashboards;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Plays Grafana against a database connection: resolves a dashboard's template variables by running their
 * queries in order (each one sees the variables before it), then expands every panel and annotation query
 * for a time range — once per value of a repeat variable, as Grafana clones repeated rows and panels.
 * Run it with the viewer role's connection to see what operators' dashboards see.
 */
public final class DashboardRunner {

    /** The datasource settings that change the SQL: TimescaleDB switch and minimum interval. */
    public record Datasource(String uid, boolean timescaledb, Duration minInterval) {

        /** Reads the first datasource of a Grafana provisioning file. */
        public static Datasource fromProvisioning(Path yaml) throws IOException {
            JsonNode ds = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile()).path("datasources").path(0);
            String minInterval = ds.path("jsonData").path("timeInterval").asText("");
            return new Datasource(ds.path("uid").asText(), ds.path("jsonData").path("timescaledb").asBoolean(false),
                    minInterval.isEmpty() ? null : GrafanaMacros.parseInterval(minInterval));
        }
    }

    /** A query as Grafana would send it. {@code binding} names the repeat value ("device=A1/PUMP01"), or is empty. */
    public record ExpandedQuery(GrafanaDashboard dashboard, GrafanaDashboard.Query query, String binding, TimeRange range, String sql) {

        public String label() {
            return dashboard.title() + " / " + query.label() + (binding.isEmpty() ? "" : " {" + binding + "}");
        }
    }

    /** Rows and column names of a query's result. */
    public record Result(int rows, List<String> columns) {
    }

    private final Connection connection;
    private final Datasource datasource;
    private final int maxDataPoints;
    private final List<ExpandedQuery> variableQueries = new ArrayList<>();

    public DashboardRunner(Connection connection, Datasource datasource) {
        this(connection, datasource, GrafanaMacros.DEFAULT_MAX_DATA_POINTS);
    }

    public DashboardRunner(Connection connection, Datasource datasource, int maxDataPoints) {
        this.connection = connection;
        this.datasource = datasource;
        this.maxDataPoints = maxDataPoints;
    }

    /** The variable queries run by {@link #resolveVariables} so far, expanded. */
    public List<ExpandedQuery> variableQueries() {
        return List.copyOf(variableQueries);
    }

    /**
     * Resolves every variable of the dashboard. {@code selections} picks values by variable name
     * ({@code "$__all"} for All); a variable without one keeps the dashboard's saved selection where it is
     * still an option, else Grafana's fallback, the first option.
     */
    public Map<String, TemplateVariable> resolveVariables(GrafanaDashboard dashboard, TimeRange range,
                                                         Map<String, List<String>> selections) throws SQLException {
        Map<String, TemplateVariable> resolved = new LinkedHashMap<>();
        for (GrafanaDashboard.Variable v : dashboard.variables()) {
            List<String> values = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            switch (v.type()) {
                case "query" -> {
                    String sql = GrafanaMacros.expand(v.query(), context(range, resolved));
                    GrafanaDashboard.Query asQuery = new GrafanaDashboard.Query("variable $" + v.name(), 0, "var", v.query(),
                            "table", null, null, v.datasourceUid());
                    variableQueries.add(new ExpandedQuery(dashboard, asQuery, "", range, sql));
                    options(sql, values, texts);
                    if (values.isEmpty()) {
                        throw new IllegalStateException(dashboard.title() + ": variable $" + v.name() + " has no options; its query was\n" + sql);
                    }
                }
                case "custom" -> {
                    for (String option : v.query().split("(?<!\\\\),")) {
                        values.add(option.strip());
                        texts.add(option.strip());
                    }
                }
                case "constant", "textbox" -> {
                    values.add(v.query());
                    texts.add(v.query());
                }
                default -> throw new IllegalArgumentException(dashboard.title() + ": variable type " + v.type() + " of $" + v.name() + " is not supported");
            }
            List<String> wanted = selections.getOrDefault(v.name(), v.current());
            boolean all = v.includeAll() && (wanted.contains("$__all") || wanted.contains("All"));
            if (all) {
                resolved.put(v.name(), new TemplateVariable(v.name(), v.multi(), true, v.allValue(), true, values, texts));
                continue;
            }
            List<String> chosen = new ArrayList<>();
            List<String> chosenText = new ArrayList<>();
            for (String w : wanted) {
                int i = values.indexOf(w);
                if (i >= 0) {
                    chosen.add(values.get(i));
                    chosenText.add(texts.get(i));
                }
            }
            if (chosen.isEmpty()) {
                chosen.add(values.get(0));
                chosenText.add(texts.get(0));
            }
            if (!v.multi() && chosen.size() > 1) {
                chosen = chosen.subList(0, 1);
                chosenText = chosenText.subList(0, 1);
            }
            resolved.put(v.name(), new TemplateVariable(v.name(), v.multi(), v.includeAll(), v.allValue(), false, chosen, chosenText));
        }
        return resolved;
    }

    /**
     * Every panel and annotation query of the dashboard, expanded for {@code range}. Repeated rows and panels
     * give one query per selected value of their variable, or only the first when {@code everyRepeat} is false.
     */
    public List<ExpandedQuery> expand(GrafanaDashboard dashboard, TimeRange range, Map<String, TemplateVariable> variables,
                                      boolean everyRepeat) {
        List<ExpandedQuery> expanded = new ArrayList<>();
        for (GrafanaDashboard.Query q : dashboard.queries()) {
            TimeRange panelRange = q.timeOverride() == null ? range : TimeRange.last(q.timeOverride(), range.to());
            if (q.rawSql() == null) {
                throw new IllegalArgumentException(dashboard.title() + " / " + q.label() + " has no rawSql");
            }
            if (q.repeat() == null) {
                expanded.add(new ExpandedQuery(dashboard, q, "", panelRange, GrafanaMacros.expand(q.rawSql(), context(panelRange, variables))));
                continue;
            }
            TemplateVariable repeat = variables.get(q.repeat());
            if (repeat == null) {
                throw new IllegalArgumentException(dashboard.title() + " / " + q.label() + " repeats over unknown $" + q.repeat());
            }
            int count = everyRepeat ? repeat.values().size() : 1;
            for (int i = 0; i < count; i++) {
                Map<String, TemplateVariable> bound = new LinkedHashMap<>(variables);
                bound.put(repeat.name(), repeat.bind(repeat.values().get(i), repeat.text().get(Math.min(i, repeat.text().size() - 1))));
                expanded.add(new ExpandedQuery(dashboard, q, repeat.name() + "=" + repeat.values().get(i), panelRange,
                        GrafanaMacros.expand(q.rawSql(), context(panelRange, bound))));
            }
        }
        return expanded;
    }

    /** Runs one expanded query and reads its whole result, as Grafana does. */
    public Result run(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            int rows = 0;
            while (rs.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    rs.getObject(i);
                }
                rows++;
            }
            return new Result(rows, columns);
        }
    }

    private GrafanaMacros.Context context(TimeRange range, Map<String, TemplateVariable> variables) {
        return new GrafanaMacros.Context(range, GrafanaMacros.calculateInterval(range, maxDataPoints, datasource.minInterval()),
                variables, datasource.timescaledb());
    }

    /** Grafana's SQL variable options: __value/__text columns when present, else every value of every column. */
    private void options(String sql, List<String> values, List<String> texts) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            int valueColumn = 0;
            int textColumn = 0;
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (meta.getColumnLabel(i).equals("__value")) {
                    valueColumn = i;
                } else if (meta.getColumnLabel(i).equals("__text")) {
                    textColumn = i;
                }
            }
            Set<String> seen = new LinkedHashSet<>();
            while (rs.next()) {
                if (valueColumn > 0 || textColumn > 0) {
                    String value = rs.getString(valueColumn > 0 ? valueColumn : textColumn);
                    String text = rs.getString(textColumn > 0 ? textColumn : valueColumn);
                    if (value != null && seen.add(value)) {
                        values.add(value);
                        texts.add(text == null ? value : text);
                    }
                } else {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String value = rs.getString(i);
                        if (value != null && seen.add(value)) {
                            values.add(value);
                            texts.add(value);
                        }
                    }
                }
            }
        }
    }
}
