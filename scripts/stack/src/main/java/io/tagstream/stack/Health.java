package io.tagstream.stack;

import java.util.List;

/** What a component's probe found: up or not, one line for humans, and detail lines. */
public record Health(boolean up, String summary, List<String> details) {

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
}
