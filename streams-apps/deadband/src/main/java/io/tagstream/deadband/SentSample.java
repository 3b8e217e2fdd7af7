package io.tagstream.deadband;

import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;

/**
 * What the deadband needs of the last sample it sent: when, which value, which quality. The sample itself
 * is already downstream, so the state keeps only this (half the state to store and changelog).
 */
public record SentSample(long ts, Double value, Quality quality) {

    public SentSample {
        if (quality == null) {
            throw new IllegalArgumentException("a sent sample has a quality");
        }
    }

    public static SentSample of(Reading reading) {
        return new SentSample(reading.getTs().toEpochMilli(), reading.getValue(), reading.getQuality());
    }
}
