package io.tagstream.e2e;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The 1-minute or 1-hour aggregates the history must produce, computed from the history itself (not from
 * the pipeline's readings), and the comparison with what a place (table or topic) holds.
 *
 * <p>Which windows must exist: the aggregation app closes a tag's window once the tag's own clock (its
 * newest reading) is {@code grace} past the window's end, so with the history's last second as every tag's
 * clock, windows ending by {@code last - grace} are final and the later ones still open (never emitted).
 * Samples are one per second with no gaps, so the time-weighted average equals the mean.
 */
final class WindowCheck {

    /** What one window must hold. */
    record Expected(long count, double min, double max, double sum, double avg, double first, double last, double stddev) {
    }

    private final PlantHistory history;
    private final long widthSeconds;
    private final Map<String, Expected> expected = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    long records;
    long duplicates;
    long mismatches;
    long unexpected;
    String firstProblem;

    WindowCheck(PlantHistory history, long widthSeconds, long graceSeconds) {
        this.history = history;
        this.widthSeconds = widthSeconds;
        long clock = history.lastSecond();
        long firstWindow = Math.floorDiv(history.firstSecond(), widthSeconds) * widthSeconds;
        for (long w = firstWindow; w + widthSeconds + graceSeconds <= clock; w += widthSeconds) {
            long from = Math.max(w, history.firstSecond());
            long to = Math.min(w + widthSeconds, clock + 1);
            for (int d = 0; d < history.devices(); d++) {
                for (int t = 0; t < history.tagsPerDevice(); t++) {
                    expected.put(key(PlantHistory.device(d), PlantHistory.tag(t), w), compute(d, t, from, to));
                }
            }
        }
    }

    private static Expected compute(int d, int t, long from, long to) {
        long count = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (long s = from; s < to; s++) {
            double v = PlantHistory.value(d, t, s);
            count++;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        double avg = sum / count;
        double squares = 0;
        for (long s = from; s < to; s++) {
            double deviation = PlantHistory.value(d, t, s) - avg;
            squares += deviation * deviation;
        }
        return new Expected(count, min, max, sum, avg, PlantHistory.value(d, t, from), PlantHistory.value(d, t, to - 1),
                Math.sqrt(squares / count));
    }

    private static String key(String device, String tag, long windowStartSecond) {
        return device + "/" + tag + "@" + windowStartSecond;
    }

    long expectedWindows() {
        return expected.size();
    }

    /** One aggregate as stored or emitted; boxed values may be null. */
    void add(String device, String tag, long windowStartMillis, long windowEndMillis, long count, long imputed, long bad,
             Double min, Double max, double sum, Double avg, Double first, Double last, Double stddev, Double twa) {
        records++;
        String key = key(device, tag, Math.floorDiv(windowStartMillis, 1000));
        Expected want = expected.get(key);
        if (want == null || windowStartMillis % 1000 != 0) {
            unexpected++;
            problem("unexpected window " + key);
            return;
        }
        if (!seen.add(key)) {
            duplicates++;
            problem("window emitted twice: " + key);
        }
        String wrong = null;
        if (windowEndMillis - windowStartMillis != widthSeconds * 1000) {
            wrong = "window_end";
        } else if (count != want.count() || imputed != 0 || bad != 0) {
            wrong = "count " + count + "/" + imputed + "/" + bad + ", expected " + want.count() + "/0/0";
        } else if (!exact(min, want.min()) || !exact(max, want.max()) || !exact(first, want.first()) || !exact(last, want.last())) {
            wrong = "min/max/first/last " + min + "/" + max + "/" + first + "/" + last + ", expected " + want.min() + "/"
                    + want.max() + "/" + want.first() + "/" + want.last();
        } else if (!close(sum, want.sum()) || !close(avg, want.avg()) || !close(twa, want.avg())) {
            wrong = "sum/avg/twa " + sum + "/" + avg + "/" + twa + ", expected " + want.sum() + "/" + want.avg() + "/" + want.avg();
        } else if (stddev == null || Math.abs(stddev - want.stddev()) > 1e-6 * Math.max(1, want.stddev())) {
            wrong = "stddev " + stddev + ", expected " + want.stddev();
        }
        if (wrong != null) {
            mismatches++;
            problem(key + ": " + wrong);
        }
    }

    private static boolean exact(Double actual, double expected) {
        return actual != null && Double.compare(actual, expected) == 0;
    }

    /** Sums of a few thousand two-decimal values: equal up to rounding of the summation order. */
    private static boolean close(Double actual, double expected) {
        return actual != null && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
    }

    long missing() {
        return expected.size() - seen.size();
    }

    boolean exact() {
        return missing() == 0 && duplicates == 0 && mismatches == 0 && unexpected == 0;
    }

    private void problem(String text) {
        if (firstProblem == null) {
            firstProblem = text;
        }
    }

    String summary() {
        String missingExample = "";
        if (missing() > 0) {
            missingExample = expected.keySet().stream().filter(k -> !seen.contains(k)).sorted().findFirst()
                    .map(k -> "; first missing " + k).orElse("");
        }
        return String.format("%,d records, %,d of %,d expected windows, %,d missing, %,d duplicates, %,d wrong, %,d unexpected%s%s",
                records, seen.size(), expected.size(), missing(), duplicates, mismatches, unexpected, missingExample,
                firstProblem != null ? "; first problem: " + firstProblem : "");
    }
}
