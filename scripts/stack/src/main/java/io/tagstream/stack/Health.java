package io.tagstream.stack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a component's probe found: up or not, one line for humans, detail lines, and facts for
 * {@code status --json} (lag, last record, connector states ...).
 */
public record Health(boolean up, String summary, List<String> details, Map<String, Object> facts) {

    public Health(boolean up, String summary, List<String> details) {
        this(up, summary, details, Map.of());
    }

    public static Health up(String summary, List<String> details) {
        return new Health(true, summary, List.copyOf(details));
    }

    public static Health up(String summary) {
        return new Health(true, summary, List.of());
    }

    public static Health down(String summary) {
        return new Health(false, summary, List.of());
    }

    public static Health down(String summary, List<String> details) {
        return new Health(false, summary, List.copyOf(details));
    }

    /** The same verdict with facts for machines (values: strings, numbers, booleans, lists, maps). */
    public Health withFacts(Map<String, ?> values) {
        return new Health(up, summary, details, Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /** Down because of something outside the component's own probe; its own findings stay as details. */
    public Health downBecause(String reason) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("own probe: " + (up ? "UP " : "DOWN ") + summary);
        lines.addAll(details);
        return new Health(false, reason, List.copyOf(lines), facts);
    }
}
