package io.tagstream.alerts;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One row of ops.thresholds. The scope fields are names or patterns where {@code *} matches any run of
 * characters ({@code *} alone: anything). Limits left null are not checked; stale / bad-quality delays
 * left null take the app's defaults (the table cannot express "off" for them, see README).
 */
public record ThresholdRule(String ruleId, String site, String device, String tag, Double warningHigh,
                            Double warningLow, Double criticalHigh, Double criticalLow, double hysteresis,
                            long onDelayMs, long clearDelayMs, Long staleAfterMs, Long badQualityAfterMs,
                            boolean enabled) {

    public static final String ANY = "*";

    /** Most specific first: a named tag beats a named device beats a named site; exact beats pattern beats *. */
    public static final Comparator<ThresholdRule> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt(ThresholdRule::specificity).reversed()
            .thenComparing(Comparator.comparingInt(ThresholdRule::literalLength).reversed())
            .thenComparing(ThresholdRule::ruleId); // ties between overlapping patterns: stable, by rule id

    private static final ConcurrentHashMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    public ThresholdRule {
        Objects.requireNonNull(ruleId, "rule_id");
        site = scope(site);
        device = scope(device);
        tag = scope(tag);
    }

    private static String scope(String value) {
        return value == null || value.isBlank() ? ANY : value;
    }

    public boolean matches(String siteName, String deviceName, String tagName) {
        return matches(site, siteName) && matches(device, deviceName) && matches(tag, tagName);
    }

    /** Tag weighs more than device, device more than site; per field exact 2, pattern 1, {@code *} 0. */
    public int specificity() {
        return 9 * weight(tag) + 3 * weight(device) + weight(site);
    }

    private int literalLength() {
        return site.replace(ANY, "").length() + device.replace(ANY, "").length() + tag.replace(ANY, "").length();
    }

    private static int weight(String scope) {
        if (ANY.equals(scope)) {
            return 0;
        }
        return scope.contains(ANY) ? 1 : 2;
    }

    private static boolean matches(String scope, String name) {
        if (ANY.equals(scope)) {
            return true;
        }
        if (!scope.contains(ANY)) {
            return scope.equals(name);
        }
        return name != null && glob(scope).matcher(name).matches();
    }

    private static Pattern glob(String scope) {
        return PATTERNS.computeIfAbsent(scope, s -> Pattern.compile(Arrays.stream(s.split("\\*", -1))
                .map(Pattern::quote).collect(Collectors.joining(".*"))));
    }
}
