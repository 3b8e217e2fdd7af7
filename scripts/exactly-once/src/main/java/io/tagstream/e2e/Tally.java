package io.tagstream.e2e;

import java.util.BitSet;

/**
 * What one place (a topic, a table) holds of the plant's history, against the expected samples: one bit
 * per expected (device, tag, second), so a million samples cost 125 kB. A sample seen twice is a
 * duplicate, one with another value a mismatch, one outside the history unexpected.
 */
final class Tally {

    private final PlantHistory history;
    private final BitSet seen;
    long records;
    long duplicates;
    long mismatches;
    long unexpected;
    long notGood;
    long imputed;
    String firstProblem;

    Tally(PlantHistory history) {
        this.history = history;
        this.seen = new BitSet((int) history.readings());
    }

    /** Counts one sample; {@code value} null means a null value. */
    void add(String device, String tag, long epochMillis, Double value, String quality, String origin) {
        records++;
        int d = PlantHistory.deviceIndex(device);
        int t = PlantHistory.tagIndex(tag);
        long second = Math.floorDiv(epochMillis, 1000);
        if (d < 0 || d >= history.devices() || t < 0 || t >= history.tagsPerDevice()
                || epochMillis % 1000 != 0 || second < history.firstSecond() || second > history.lastSecond()) {
            unexpected++;
            problem("unexpected sample " + device + "/" + tag + " at " + epochMillis + " (" + origin + ")");
            return;
        }
        if ("IMPUTED".equals(origin)) {
            imputed++;
        }
        if (!"GOOD".equals(quality)) {
            notGood++;
            problem(device + "/" + tag + " at " + second + ": quality " + quality);
        }
        int index = (int) (((long) d * history.tagsPerDevice() + t) * history.seconds() + (second - history.firstSecond()));
        if (seen.get(index)) {
            duplicates++;
            problem("duplicate " + device + "/" + tag + " at " + second);
        }
        seen.set(index);
        double expected = PlantHistory.value(d, t, second);
        if (value == null || Double.compare(value, expected) != 0) {
            mismatches++;
            problem(device + "/" + tag + " at " + second + ": value " + value + ", expected " + expected);
        }
    }

    long distinct() {
        return seen.cardinality();
    }

    long missing() {
        return history.readings() - distinct();
    }

    boolean exact() {
        return missing() == 0 && duplicates == 0 && mismatches == 0 && unexpected == 0 && notGood == 0 && imputed == 0;
    }

    /** A missing sample, for the report. */
    String firstMissing() {
        int index = seen.nextClearBit(0);
        if (index >= history.readings()) {
            return "none";
        }
        long perTag = history.seconds();
        int tagSlot = (int) (index / perTag);
        return PlantHistory.device(tagSlot / history.tagsPerDevice()) + "/" + PlantHistory.tag(tagSlot % history.tagsPerDevice())
                + " at " + (history.firstSecond() + index % perTag);
    }

    private void problem(String text) {
        if (firstProblem == null) {
            firstProblem = text;
        }
    }

    String summary() {
        return String.format("%,d records, %,d distinct of %,d expected, %,d missing, %,d duplicates, %,d wrong values,"
                        + " %,d unexpected, %,d not GOOD, %,d imputed%s%s",
                records, distinct(), history.readings(), missing(), duplicates, mismatches, unexpected, notGood, imputed,
                missing() > 0 ? "; first missing " + firstMissing() : "",
                firstProblem != null ? "; first problem: " + firstProblem : "");
    }
}
