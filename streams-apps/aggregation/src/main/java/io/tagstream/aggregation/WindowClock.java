package io.tagstream.aggregation;

import java.util.Locale;

/**
 * Which time closes a tag's windows ({@code window.clock}).
 * <ul>
 *   <li>{@link #TAG}: the newest measurement time seen for that tag. Every tag runs on its own clock, so a source
 *       that delivers late by design (an hourly weather API, a backfill of history) is aggregated like a live one
 *       even when it shares a partition with live tags. A tag's open windows stay open while it is silent.</li>
 *   <li>{@link #PARTITION}: the newest measurement time seen on the input partition (the task's stream time, as
 *       Kafka Streams' windowed DSL uses it). A tag that lags the other tags of its partition by more than the
 *       grace has all its readings go to the late topic.</li>
 * </ul>
 */
public enum WindowClock {
    TAG, PARTITION;

    /** The option value: {@code tag} or {@code partition}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static WindowClock of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
