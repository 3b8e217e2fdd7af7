package io.tagstream.connect.webhook.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** HTTP statuses given as codes and classes, e.g. {@code 408,429,5xx}. */
public final class StatusSet {

    private final List<int[]> ranges;
    private final String text;

    private StatusSet(List<int[]> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /** Parses entries like 429 or 5xx; throws IllegalArgumentException naming the bad entry. */
    public static StatusSet parse(List<String> entries) {
        List<int[]> ranges = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.matches("[1-5]xx")) {
                int base = (entry.charAt(0) - '0') * 100;
                ranges.add(new int[] {base, base + 99});
            } else if (entry.matches("[1-5][0-9][0-9]")) {
                int code = Integer.parseInt(entry);
                ranges.add(new int[] {code, code});
            } else {
                throw new IllegalArgumentException("'" + raw + "' is neither a status code (429) nor a class (5xx)");
            }
        }
        return new StatusSet(List.copyOf(ranges), String.join(",", entries));
    }

    public boolean contains(int status) {
        for (int[] range : ranges) {
            if (status >= range[0] && status <= range[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
