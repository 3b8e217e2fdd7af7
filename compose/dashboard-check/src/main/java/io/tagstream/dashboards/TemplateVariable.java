package io.tagstream.dashboards;

import java.util.List;

/**
 * A dashboard template variable with its current selection, as the SQL datasource sees it when it
 * interpolates a query.
 *
 * @param name       the variable name ({@code $name})
 * @param multi      multi-value variable
 * @param includeAll has an "All" option
 * @param allValue   the custom all value, or null (then "All" means every option's value)
 * @param all        "All" is selected
 * @param values     the selected values (every option's value when "All" is selected without a custom all value)
 * @param text       display text of the selection (for the {@code :text} format)
 */
public record TemplateVariable(String name, boolean multi, boolean includeAll, String allValue, boolean all,
                               List<String> values, List<String> text) {

    public TemplateVariable {
        values = List.copyOf(values);
        text = List.copyOf(text);
    }

    /** A plain single-value variable (custom, constant, textbox, or a query variable without multi/All). */
    public static TemplateVariable single(String name, String value) {
        return new TemplateVariable(name, false, false, null, false, List.of(value), List.of(value));
    }

    /** The same variable bound to one of its values, as inside a repeated row or panel. */
    public TemplateVariable bind(String value, String valueText) {
        return new TemplateVariable(name, multi, includeAll, allValue, false, List.of(value), List.of(valueText));
    }

    /** Grafana's SQL datasources quote values of multi-value and All-enabled variables. */
    boolean quotedBySqlDatasource() {
        return multi || includeAll;
    }
}
