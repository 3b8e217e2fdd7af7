package io.tagstream.addressmap;

/** What a tag's {@code deadband} number means. */
public enum DeadbandMode {
    /** In engineering units. */
    ABSOLUTE,
    /** Percent of the span hi - lo. */
    PERCENT_SPAN,
    /** Percent of the last value sent. */
    PERCENT_VALUE
}
