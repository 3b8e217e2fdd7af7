package io.tagstream.connect.http.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Parses the timestamp field of an API row. A pattern ({@link DateTimeFormatter}) without an offset is
 * local time in the configured zone (KMA: "yyyy-MM-dd HH:mm" in Asia/Seoul); {@code epoch-millis},
 * {@code epoch-seconds} and {@code iso} (ISO-8601 with offset or zone, or local in the zone) are built in.
 */
public final class TimeParser {

    public static final String EPOCH_MILLIS = "epoch-millis";
    public static final String EPOCH_SECONDS = "epoch-seconds";
    public static final String ISO = "iso";

    private final String format;
    private final DateTimeFormatter formatter;
    private final ZoneId zone;

    public TimeParser(String format, ZoneId zone) {
        this.format = format;
        this.zone = zone;
        this.formatter = switch (format) {
            case EPOCH_MILLIS, EPOCH_SECONDS -> null;
            case ISO -> DateTimeFormatter.ISO_DATE_TIME;
            default -> DateTimeFormatter.ofPattern(format, Locale.ROOT);
        };
    }

    /** Checks a format string; returns a problem description or null. */
    public static String validate(String format) {
        if (format == null || format.isBlank()) {
            return "must not be empty";
        }
        if (format.equals(EPOCH_MILLIS) || format.equals(EPOCH_SECONDS) || format.equals(ISO)) {
            return null;
        }
        try {
            DateTimeFormatter.ofPattern(format, Locale.ROOT);
            return null;
        } catch (IllegalArgumentException e) {
            return "not a date-time pattern: " + e.getMessage();
        }
    }

    public Instant parse(String text) {
        if (text == null || text.isBlank()) {
            throw new DateTimeParseException("empty timestamp", text == null ? "" : text, 0);
        }
        String value = text.trim();
        switch (format) {
            case EPOCH_MILLIS:
                return Instant.ofEpochMilli(parseLong(value));
            case EPOCH_SECONDS:
                return Instant.ofEpochSecond(parseLong(value));
            default:
                TemporalAccessor parsed = formatter.parseBest(value, ZonedDateTime::from, LocalDateTime::from, LocalDate::from);
                if (parsed instanceof ZonedDateTime zoned) {
                    return zoned.toInstant();
                }
                if (parsed instanceof LocalDateTime local) {
                    return local.atZone(zone).toInstant();
                }
                return ((LocalDate) parsed).atStartOfDay(zone).toInstant();
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new DateTimeParseException("not an epoch number", value, 0);
        }
    }
}
