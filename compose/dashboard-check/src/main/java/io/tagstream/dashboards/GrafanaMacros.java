package io.tagstream.dashboards;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a panel's {@code rawSql} into the SQL that Grafana's PostgreSQL datasource (Grafana 11/12,
 * {@code grafana-postgresql-datasource}) sends to the database, in Grafana's order:
 * <ol>
 *   <li>the browser interpolates template variables — {@code $var}, {@code ${var}}, {@code ${var:format}},
 *       {@code [[var]]} — and the built-ins {@code $__interval}, {@code $__interval_ms}, {@code $__range},
 *       {@code $__range_s}, {@code $__range_ms}, {@code $__from}, {@code $__to}. Without a format, the SQL
 *       datasource quotes every value of a multi-value or All-enabled variable ({@code 'a','b'}) and only
 *       escapes quotes of other variables; "All" is the list of every option, or the custom all value verbatim;</li>
 *   <li>the server replaces {@code $__interval_ms}, {@code $__interval}, {@code $__unixEpochFrom()},
 *       {@code $__unixEpochTo()} (sqleng);</li>
 *   <li>the server's PostgreSQL macro engine expands {@code $__name(args)}: {@code $__time}, {@code $__timeEpoch},
 *       {@code $__timeFilter(col)} → {@code col BETWEEN '<from>' AND '<to>'} (RFC 3339, UTC, nanoseconds with
 *       trailing zeros dropped), {@code $__timeFrom()}, {@code $__timeTo()}, {@code $__timeGroup(col, '5m'[, fill])}
 *       → {@code floor(extract(epoch from col)/300)*300}, or {@code time_bucket('300.000s',col)} when the
 *       datasource has TimescaleDB enabled, {@code $__timeGroupAlias} (adds {@code AS "time"}; so does
 *       {@code $__timeGroup} directly followed by a comma, Grafana's pre-5.3 compatibility rule),
 *       {@code $__unixEpochFilter}, {@code $__unixEpochNanoFilter/From/To}, {@code $__unixEpochGroup[Alias]}.
 *       Unknown macros are errors, as in Grafana.</li>
 * </ol>
 * Fill modes of {@code $__timeGroup} are validated but change nothing in the SQL (Grafana fills after the query).
 * {@code $__interval} follows the browser: range / max data points, rounded to Grafana's steps, at least the
 * datasource's minimum interval.
 */
public final class GrafanaMacros {

    /** Grafana's max data points when a panel sets none: about one point per pixel of a wide panel. */
    public static final int DEFAULT_MAX_DATA_POINTS = 1000;

    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?]]|\\$\\{(\\w+)(?:\\.([^:^}]+))?(?::([^}]+))?}");
    private static final Pattern MACRO = Pattern.compile("\\$([_a-zA-Z0-9]+)\\(([^)]*)\\)");
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)(ms|s|m|h|d|w|M|y)");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /**
     * What a query is expanded with.
     *
     * @param range       the panel's time range
     * @param interval    {@code $__interval} of the panel (see {@link #calculateInterval})
     * @param variables   template variables by name, with their current selection
     * @param timescaledb the datasource's "TimescaleDB" switch (jsonData.timescaledb)
     */
    public record Context(TimeRange range, Duration interval, Map<String, TemplateVariable> variables, boolean timescaledb) {
        public Context {
            variables = Map.copyOf(variables);
        }
    }

    private GrafanaMacros() {
    }

    /** The SQL Grafana would run for {@code rawSql}. */
    public static String expand(String rawSql, Context context) {
        String sql = interpolateVariables(rawSql, context.variables(), builtins(context.range(), context.interval()));
        sql = interpolateServerVariables(sql, context.range(), context.interval());
        return expandMacros(sql, context.range(), context.timescaledb());
    }

    // ------------------------------------------------------------------------------------------- step 1: browser

    /**
     * Template variable interpolation as the browser does it for the SQL datasource. Names that are neither
     * variables nor built-ins (such as {@code $__timeFilter}) stay as they are, for the server.
     */
    public static String interpolateVariables(String sql, Map<String, TemplateVariable> variables, Map<String, String> builtins) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = firstNonNull(m.group(1), m.group(2), m.group(4));
            String format = m.group(3) != null ? m.group(3) : m.group(6);
            String replacement;
            if (builtins.containsKey(name)) {
                replacement = builtins.get(name);
            } else if (variables.containsKey(name)) {
                replacement = format(variables.get(name), format);
            } else {
                replacement = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The built-in variables the browser knows for a panel. */
    public static Map<String, String> builtins(TimeRange range, Duration interval) {
        Map<String, String> builtins = new HashMap<>();
        builtins.put("__interval", secondsToHms(interval.toMillis()));
        builtins.put("__interval_ms", Long.toString(interval.toMillis()));
        long rangeMs = range.length().toMillis();
        builtins.put("__range", secondsToHms(rangeMs));
        builtins.put("__range_s", Long.toString(Math.round(rangeMs / 1000.0)));
        builtins.put("__range_ms", Long.toString(rangeMs));
        builtins.put("__from", Long.toString(range.from().toEpochMilli()));
        builtins.put("__to", Long.toString(range.to().toEpochMilli()));
        return builtins;
    }

    static String format(TemplateVariable variable, String format) {
        if (variable.all() && variable.allValue() != null && !"text".equals(format)) {
            return variable.allValue(); // a custom all value goes in verbatim, whatever the format
        }
        List<String> values = variable.values();
        if (values.isEmpty()) {
            throw new IllegalArgumentException("variable $" + variable.name() + " has no value");
        }
        if (format == null) {
            if (values.size() == 1 && !variable.quotedBySqlDatasource()) {
                return values.get(0).replace("'", "''");
            }
            return values.stream().map(GrafanaMacros::quoteLiteral).collect(Collectors.joining(","));
        }
        return switch (format) {
            case "sqlstring" -> values.stream().map(GrafanaMacros::quoteLiteral).collect(Collectors.joining(","));
            case "csv", "raw" -> String.join(",", values);
            case "singlequote" -> values.stream().map(v -> "'" + v.replace("'", "\\'") + "'").collect(Collectors.joining(","));
            case "doublequote" -> values.stream().map(v -> "\"" + v.replace("\"", "\\\"") + "\"").collect(Collectors.joining(","));
            case "pipe" -> String.join("|", values);
            case "text" -> variable.all() ? "All" : String.join(" + ", variable.text());
            default -> throw new IllegalArgumentException("variable format '" + format + "' of $" + variable.name() + " is not supported here");
        };
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    // ------------------------------------------------------------------------------------------- step 2: server, sqleng

    static String interpolateServerVariables(String sql, TimeRange range, Duration interval) {
        return sql.replace("$__interval_ms", Long.toString(interval.toMillis()))
                .replace("$__interval", formatInterval(interval))
                .replace("$__unixEpochFrom()", Long.toString(range.from().getEpochSecond()))
                .replace("$__unixEpochTo()", Long.toString(range.to().getEpochSecond()));
    }

    // ------------------------------------------------------------------------------------------- step 3: macro engine

    /** The PostgreSQL macro engine of Grafana's server. */
    public static String expandMacros(String sql, TimeRange range, boolean timescaledb) {
        Matcher m = MACRO.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (name.equals("__timeGroup")) {
                // Grafana's compatibility rule: a $__timeGroup(...) followed directly by ',' gets AS "time"
                // (it looks at the first occurrence of the same text)
                int index = sql.indexOf(m.group());
                if (index >= 0) {
                    index += m.group().length();
                    if (sql.length() > index && sql.charAt(index) == ',') {
                        name = "__timeGroupAlias";
                    }
                }
            }
            List<String> args = new ArrayList<>();
            for (String arg : m.group(2).split(",", -1)) {
                args.add(arg.strip());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(evaluate(name, args, range, timescaledb)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String evaluate(String name, List<String> args, TimeRange range, boolean timescaledb) {
        Instant from = range.from();
        Instant to = range.to();
        return switch (name) {
            case "__time" -> column(name, args) + " AS \"time\"";
            case "__timeEpoch" -> "extract(epoch from " + column(name, args) + ") as \"time\"";
            case "__timeFilter" -> column(name, args) + " BETWEEN '" + rfc3339Nano(from) + "' AND '" + rfc3339Nano(to) + "'";
            case "__timeFrom" -> "'" + rfc3339Nano(from) + "'";
            case "__timeTo" -> "'" + rfc3339Nano(to) + "'";
            case "__timeGroup" -> {
                double seconds = groupInterval(name, args);
                yield timescaledb
                        ? String.format(Locale.ROOT, "time_bucket('%.3fs',%s)", seconds, args.get(0))
                        : "floor(extract(epoch from " + args.get(0) + ")/" + goFloat(seconds) + ")*" + goFloat(seconds);
            }
            case "__timeGroupAlias" -> evaluate("__timeGroup", args, range, timescaledb) + " AS \"time\"";
            case "__unixEpochFilter" -> column(name, args) + " >= " + from.getEpochSecond() + " AND " + args.get(0) + " <= " + to.getEpochSecond();
            case "__unixEpochNanoFilter" -> column(name, args) + " >= " + nanos(from) + " AND " + args.get(0) + " <= " + nanos(to);
            case "__unixEpochNanoFrom" -> nanos(from).toString();
            case "__unixEpochNanoTo" -> nanos(to).toString();
            case "__unixEpochGroup" -> {
                double seconds = groupInterval(name, args);
                yield "floor((" + args.get(0) + ")/" + goFloat(seconds) + ")*" + goFloat(seconds);
            }
            case "__unixEpochGroupAlias" -> evaluate("__unixEpochGroup", args, range, timescaledb) + " AS \"time\"";
            default -> throw new IllegalArgumentException("unknown macro \"" + name + "\"");
        };
    }

    private static String column(String macro, List<String> args) {
        if (args.isEmpty() || args.get(0).isEmpty()) {
            throw new IllegalArgumentException("missing time column argument for macro " + macro);
        }
        return args.get(0);
    }

    private static double groupInterval(String macro, List<String> args) {
        if (args.size() < 2) {
            throw new IllegalArgumentException("macro " + macro + " needs time column and interval and optional fill value");
        }
        Duration interval = parseInterval(trimQuotes(args.get(1)));
        if (args.size() == 3) {
            String fill = args.get(2);
            if (!fill.equals("NULL") && !fill.equals("previous")) {
                try {
                    Double.parseDouble(fill);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("error parsing fill value " + fill);
                }
            }
        }
        return interval.toNanos() / 1e9;
    }

    private static String trimQuotes(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == '\'') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == '\'') {
            end--;
        }
        return value.substring(start, end);
    }

    private static java.math.BigInteger nanos(Instant instant) {
        return java.math.BigInteger.valueOf(instant.getEpochSecond()).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .add(java.math.BigInteger.valueOf(instant.getNano()));
    }

    // ------------------------------------------------------------------------------------------- formats

    /** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros, none when whole. */
    public static String rfc3339Nano(Instant instant) {
        String base = SECONDS.format(instant);
        int nanos = instant.getNano();
        if (nanos == 0) {
            return base + "Z";
        }
        String fraction = String.format(Locale.ROOT, "%09d", nanos).replaceAll("0+$", "");
        return base + "." + fraction + "Z";
    }

    /** Go's {@code %v} of a float64 (what Grafana prints group widths with): shortest digits, exponent form below 1e-4 and from 1e6 (1e+06). */
    static String goFloat(double value) {
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = decimal.precision() - decimal.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            String digits = decimal.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        return decimal.toPlainString();
    }

    /** Grafana's interval parser (gtime.ParseInterval): a number and one of ms, s, m, h, d, w, M, y. */
    public static Duration parseInterval(String text) {
        Matcher m = INTERVAL.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("error parsing interval " + text);
        }
        return TimeRange.unitDuration(m.group(2)).multipliedBy(Long.parseLong(m.group(1)));
    }

    /** The server's text for an interval (gtime.FormatInterval): the largest whole unit. */
    public static String formatInterval(Duration interval) {
        long ms = interval.toMillis();
        long day = 86_400_000L;
        if (ms >= 365 * day) {
            return ms / (365 * day) + "y";
        }
        if (ms >= day) {
            return ms / day + "d";
        }
        if (ms >= 3_600_000L) {
            return ms / 3_600_000L + "h";
        }
        if (ms >= 60_000L) {
            return ms / 60_000L + "m";
        }
        if (ms >= 1000L) {
            return ms / 1000L + "s";
        }
        return ms >= 1 ? ms + "ms" : "1ms";
    }

    /** The browser's text for an interval (kbn.secondsToHms). */
    public static String secondsToHms(long millis) {
        long seconds = millis / 1000;
        if (seconds / 31_536_000 > 0) {
            return seconds / 31_536_000 + "y";
        }
        if (seconds % 31_536_000 / 86_400 > 0) {
            return seconds % 31_536_000 / 86_400 + "d";
        }
        if (seconds % 86_400 / 3600 > 0) {
            return seconds % 86_400 / 3600 + "h";
        }
        if (seconds % 3600 / 60 > 0) {
            return seconds % 3600 / 60 + "m";
        }
        if (seconds % 60 > 0) {
            return seconds % 60 + "s";
        }
        return millis > 0 ? millis + "ms" : "less than a millisecond";
    }

    /**
     * {@code $__interval} of a panel, as the browser computes it (rangeutil.calculateInterval): the range
     * divided by max data points, rounded to Grafana's steps, then raised to the datasource's minimum
     * ("Min time interval", jsonData.timeInterval) when below it.
     */
    public static Duration calculateInterval(TimeRange range, int maxDataPoints, Duration minInterval) {
        long rounded = roundInterval(range.length().toMillis() / (double) maxDataPoints);
        long low = minInterval == null ? 1 : minInterval.toMillis();
        return Duration.ofMillis(Math.max(rounded, low));
    }

    /** Grafana's rangeutil.roundInterval. */
    static long roundInterval(double ms) {
        long[][] steps = {
            {15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1500, 1000}, {3500, 2000},
            {7500, 5000}, {12_500, 10_000}, {17_500, 15_000}, {25_000, 20_000}, {45_000, 30_000}, {90_000, 60_000},
            {210_000, 120_000}, {450_000, 300_000}, {750_000, 600_000}, {1_050_000, 900_000}, {1_500_000, 1_200_000},
            {2_700_000, 1_800_000}, {5_400_000, 3_600_000}, {9_000_000, 7_200_000}, {16_200_000, 10_800_000},
            {32_400_000, 21_600_000}, {86_400_000, 43_200_000}, {604_800_000, 86_400_000},
            {1_814_400_000, 604_800_000}, {3_628_800_000L, 2_592_000_000L},
        };
        for (long[] step : steps) {
            if (ms < step[0]) {
                return step[1];
            }
        }
        return 31_536_000_000L;
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        throw new IllegalStateException("no variable name matched");
    }
}
