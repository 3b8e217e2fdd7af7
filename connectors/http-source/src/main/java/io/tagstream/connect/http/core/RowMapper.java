package io.tagstream.connect.http.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns one API row into one Reading per mapped tag. A missing value (absent, null, empty string, or not a
 * number) is a BAD reading with a null value, never 0: for KMA an empty string means "not observed".
 */
public final class RowMapper {

    private final TimeParser time;
    private final String timeField;
    private final String site;
    private final String line;
    private final String deviceField;
    private final String deviceConstant;
    private final List<TagMapping> tags;

    /**
     * @param deviceField    row field naming the device (KMA: stnId), or null
     * @param deviceConstant device when the row does not name one (or the field is null)
     */
    public RowMapper(TimeParser time, String timeField, String site, String line, String deviceField,
                     String deviceConstant, List<TagMapping> tags) {
        this.time = Objects.requireNonNull(time);
        this.timeField = Objects.requireNonNull(timeField);
        this.site = Objects.requireNonNull(site);
        this.line = line;
        this.deviceField = deviceField;
        this.deviceConstant = deviceConstant;
        if (deviceField == null && (deviceConstant == null || deviceConstant.isBlank())) {
            throw new IllegalArgumentException("a device field or a constant device is required");
        }
        this.tags = List.copyOf(tags);
    }

    /** The measurement time of a row; throws {@link BadRowException} when it has none that parses. */
    public Instant timestamp(Row row) {
        String text = row.get(timeField);
        try {
            return time.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRowException("timestamp field '" + timeField + "' = '" + text + "' does not parse: " + e.getMessage());
        }
    }

    public String device(Row row) {
        String device = deviceField == null ? null : row.get(deviceField);
        if (device == null || device.isBlank()) {
            if (deviceConstant == null || deviceConstant.isBlank()) {
                throw new BadRowException("device field '" + deviceField + "' is missing");
            }
            return deviceConstant;
        }
        return device.trim();
    }

    public List<ReadingValue> map(Row row) {
        Instant ts = timestamp(row);
        String device = device(row);
        List<ReadingValue> readings = new ArrayList<>(tags.size());
        for (TagMapping tag : tags) {
            Double value = parse(row.get(tag.field()));
            readings.add(new ReadingValue(ts, site, line, device, tag.tag(),
                    value == null ? null : value * tag.scale() + tag.offset(), tag.unit(),
                    value == null ? ReadingValue.Quality.BAD : ReadingValue.Quality.GOOD));
        }
        return readings;
    }

    static Double parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.trim());
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A row that cannot become readings (no timestamp, no device). */
    public static final class BadRowException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadRowException(String message) {
            super(message);
        }
    }
}
