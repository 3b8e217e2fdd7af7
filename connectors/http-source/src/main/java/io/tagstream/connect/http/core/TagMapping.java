package io.tagstream.connect.http.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One API field turned into one tag: {@code field:tag[:unit[:scale[:offset]]]}, e.g. {@code ta:air_temp:degC}.
 * Engineering value = raw * scale + offset, as for Modbus tags.
 */
public record TagMapping(String field, String tag, String unit, double scale, double offset) {

    public static TagMapping parse(String spec) {
        String[] parts = spec.trim().split(":", -1);
        if (parts.length < 2 || parts.length > 5 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("tag mapping '" + spec + "' is not field:tag[:unit[:scale[:offset]]]");
        }
        String unit = parts.length > 2 && !parts[2].isBlank() ? parts[2].trim() : null;
        double scale = parts.length > 3 && !parts[3].isBlank() ? number(spec, parts[3]) : 1.0;
        double offset = parts.length > 4 && !parts[4].isBlank() ? number(spec, parts[4]) : 0.0;
        return new TagMapping(parts[0].trim(), parts[1].trim(), unit, scale, offset);
    }

    /** Parses a list of specs; tag names must be unique because they are part of the record key. */
    public static List<TagMapping> parseAll(List<String> specs) {
        List<TagMapping> mappings = new ArrayList<>();
        Set<String> tags = new HashSet<>();
        for (String spec : specs) {
            if (spec.isBlank()) {
                continue;
            }
            TagMapping mapping = parse(spec);
            if (!tags.add(mapping.tag())) {
                throw new IllegalArgumentException("tag '" + mapping.tag() + "' is mapped twice");
            }
            mappings.add(mapping);
        }
        if (mappings.isEmpty()) {
            throw new IllegalArgumentException("at least one tag mapping is required");
        }
        return mappings;
    }

    private static double number(String spec, String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tag mapping '" + spec + "': '" + text + "' is not a number");
        }
    }
}
