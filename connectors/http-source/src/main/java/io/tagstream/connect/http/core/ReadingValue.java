package io.tagstream.connect.http.core;

import java.time.Instant;

/** One sample mapped from an API row, before it becomes a Connect record (Reading contract fields). */
public record ReadingValue(Instant ts, String site, String line, String device, String tag, Double value,
                           String unit, Quality quality) {

    public enum Quality { GOOD, UNCERTAIN, BAD }

    /** The Kafka key of every telemetry topic. */
    public String key() {
        return site + "/" + device + "/" + tag;
    }
}
