package io.tagstream.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * The history the run ingests, known before anything runs: {@code devices × tagsPerDevice} tags of one site,
 * one sample per tag and second from {@code firstSecond} for {@code seconds} seconds. Every value is a
 * function of (device, tag, second), so the check recomputes it instead of trusting what went through the
 * pipeline. Consecutive samples of a tag always differ, so a deadband of width 0 passes every one of them.
 */
record PlantHistory(String site, int devices, int tagsPerDevice, long firstSecond, int seconds) {

    long lastSecond() {
        return firstSecond + seconds - 1;
    }

    long readings() {
        return (long) devices * tagsPerDevice * seconds;
    }

    static String device(int d) {
        return String.format("D%03d", d);
    }

    static String column(int t) {
        return "v" + t;
    }

    static String tag(int t) {
        return "T" + t;
    }

    List<String> deviceNames() {
        List<String> names = new ArrayList<>(devices);
        for (int d = 0; d < devices; d++) {
            names.add(device(d));
        }
        return names;
    }

    /** The value as the export prints it: an exact decimal with two places. */
    static String text(int d, int t, long second) {
        long hundredths = Math.floorMod(d * 1009L + t * 101L + second * 37L, 100_000L);
        return (hundredths / 100) + "." + String.format("%02d", hundredths % 100);
    }

    /** What a correct pipeline stores for that sample. */
    static double value(int d, int t, long second) {
        return Double.parseDouble(text(d, t, second));
    }

    /** Device index of a name made by {@link #device(int)}; -1 for anything else. */
    static int deviceIndex(String name) {
        if (name == null || name.length() != 4 || name.charAt(0) != 'D') {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Tag index of a name made by {@link #tag(int)}; -1 for anything else. */
    static int tagIndex(String name) {
        if (name == null || name.length() < 2 || name.charAt(0) != 'T') {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
