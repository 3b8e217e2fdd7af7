package io.tagstream.simulator.weather;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The simulated observations: a pure function of (station, hour), so tests can compute exactly what a
 * connector must have ingested. Values are strings as KMA sends them; an empty string is "not observed"
 * (about one hour in 13 lacks the temperature, precipitation is empty when it does not rain, sunshine and
 * solar radiation are empty at night).
 */
public final class AsosObservations {

    public static final ZoneId KST = ZoneId.of("Asia/Seoul");
    public static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    public static final String[] ELEMENTS = {"ta", "hm", "ws", "wd", "rn", "pa", "ps", "ss", "icsr", "dc10Tca"};

    private AsosObservations() {
    }

    /** One row as getWthrDataList returns it, for the hour starting at {@code hour} (a whole hour). */
    public static Map<String, String> row(String station, Instant hour) {
        LocalDateTime local = LocalDateTime.ofInstant(hour, KST);
        long h = hour.getEpochSecond() / 3600;
        int stationNumber = Math.abs(station.hashCode() % 1000);
        long mix = mix(h * 1_000_003L + stationNumber);
        int hourOfDay = local.getHour();
        boolean day = hourOfDay >= 7 && hourOfDay <= 18;
        double diurnal = Math.sin(2 * Math.PI * (hourOfDay - 9) / 24.0);

        Map<String, String> row = new LinkedHashMap<>();
        row.put("tm", TM.format(local));
        row.put("rnum", "1");
        row.put("stnId", station);
        row.put("stnNm", "STATION" + station);
        row.put("ta", Math.floorMod(mix, 13) == 0 ? "" : one(8.0 + 7.5 * diurnal + (stationNumber % 7) * 0.3));
        row.put("hm", Integer.toString((int) (65 - 20 * diurnal + Math.floorMod(mix >> 8, 7))));
        row.put("ws", one(1.0 + Math.floorMod(mix >> 16, 60) / 10.0));
        row.put("wd", Integer.toString(Math.floorMod(mix >> 24, 36) * 10));
        row.put("rn", Math.floorMod(mix >> 32, 5) == 0 ? one(Math.floorMod(mix >> 36, 30) / 10.0 + 0.1) : "");
        double pa = 1005.0 + Math.floorMod(mix >> 40, 80) / 10.0;
        row.put("pa", one(pa));
        row.put("ps", one(pa + 10.4));
        row.put("ss", day ? one(Math.floorMod(mix >> 44, 11) / 10.0) : "");
        row.put("icsr", day ? String.format(Locale.ROOT, "%.2f", Math.max(0, diurnal) * 3.1) : "");
        row.put("dc10Tca", Integer.toString(Math.floorMod(mix >> 48, 11)));
        return row;
    }

    private static String one(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** SplitMix64 finaliser: cheap, well spread, and stable across JVMs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
