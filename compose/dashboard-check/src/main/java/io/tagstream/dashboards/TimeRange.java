package io.tagstream.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A dashboard time range, resolved to instants the way Grafana resolves "now-6h" .. "now". */
public record TimeRange(Instant from, Instant to) {

    private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d+)(s|m|h|d|w|M|y))?");

    public TimeRange {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("time range from " + from + " is not before " + to);
        }
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** The last {@code length} up to {@code now}. */
    public static TimeRange last(Duration length, Instant now) {
        return new TimeRange(now.minus(length), now);
    }

    /** Grafana's relative range ({@code now-24h} .. {@code now}); rounding ("now/d") is not used by our dashboards. */
    public static TimeRange relative(String from, String to, Instant now) {
        return new TimeRange(resolve(from, now), resolve(to, now));
    }

    static Instant resolve(String expression, Instant now) {
        Matcher m = RELATIVE.matcher(expression.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("unsupported time expression '" + expression + "' (expected now or now-<n><unit>)");
        }
        if (m.group(1) == null) {
            return now;
        }
        return now.minus(unitDuration(m.group(2)).multipliedBy(Long.parseLong(m.group(1))));
    }

    /** Units of Grafana's interval strings; months and years as 30 and 365 days, as its interval parser does. */
    static Duration unitDuration(String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            case "w" -> Duration.ofDays(7);
            case "M" -> Duration.ofDays(30);
            case "y" -> Duration.ofDays(365);
            default -> throw new IllegalArgumentException("unknown interval unit '" + unit + "'");
        };
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s..%s", from, to);
    }
}
