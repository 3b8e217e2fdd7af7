package io.tagstream.deadband;

/** How the width of a tag's deadband is given. */
public enum BandMode {
    /** Width in engineering units. */
    ABSOLUTE,
    /** Width in percent of the tag's span (hi - lo). */
    PERCENT_SPAN,
    /** Width in percent of the magnitude of the last sent value. */
    PERCENT_VALUE,
    /** No deadband: every sample passes. */
    OFF
}
