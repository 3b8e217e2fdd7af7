package io.tagstream.alerts;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.tagstream.schema.AlertKind;
import io.tagstream.schema.Severity;

/**
 * An active alert: its stable id, what it is about, its current severity and when it was raised.
 *
 * @param raisedAt epoch millis; reading time for HIGH / LOW / BAD_QUALITY, wall clock for STALE
 */
public record Episode(String alertId, AlertKind kind, Severity severity, long raisedAt) {

    /**
     * Deterministic id of the episode of {@code kind} on tag {@code tagKey} that started at {@code start}:
     * a name-based UUID, so reprocessing the same input yields the same id (never a random one).
     */
    public static String id(String tagKey, AlertKind kind, long start) {
        return UUID.nameUUIDFromBytes((tagKey + "|" + kind + "|" + start).getBytes(StandardCharsets.UTF_8)).toString();
    }

    Episode withSeverity(Severity newSeverity) {
        return new Episode(alertId, kind, newSeverity, raisedAt);
    }
}
