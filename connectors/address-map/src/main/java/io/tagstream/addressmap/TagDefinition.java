package io.tagstream.addressmap;

/**
 * One row of the address map: a tag's identity ({@code site, device, tag}; {@code line} is an attribute),
 * where and how to read it, and the engineering metadata the rest of the platform uses (unit, alarm
 * limits, deadband). Nullable: {@code line}, {@code unit}, {@code hi}, {@code lo}, {@code deadband},
 * {@code deadbandMode}.
 */
public record TagDefinition(
        int csvLine,
        String site,
        String line,
        String device,
        String tag,
        String protocol,
        ModbusConnection connection,
        int unitId,
        RegisterAddress address,
        DataType type,
        double scale,
        double offset,
        int periodMs,
        String unit,
        Double hi,
        Double lo,
        WordOrder wordOrder,
        Double deadband,
        DeadbandMode deadbandMode) {

    /** The Kafka record key of the tag on every telemetry topic. */
    public String key() {
        return key(site, device, tag);
    }

    public static String key(String site, String device, String tag) {
        return site + "/" + device + "/" + tag;
    }

    /** raw * scale + offset. */
    public double engineeringValue(double raw) {
        return raw * scale + offset;
    }

    /** hi - lo, or null when either limit is missing. */
    public Double span() {
        return hi == null || lo == null ? null : hi - lo;
    }
}
