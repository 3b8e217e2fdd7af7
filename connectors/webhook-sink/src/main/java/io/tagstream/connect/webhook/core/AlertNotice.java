package io.tagstream.connect.webhook.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One AlertEvent (ARCHITECTURE.md section 3) as the notifier sees it, free of Kafka and Avro types so
 * formatting and de-duplication can be tested on their own. Enums are kept as their symbols: a newer
 * schema may add a symbol, and a notification should still go out.
 */
public record AlertNotice(String alertId, String site, String line, String device, String tag, String ruleId,
                          String kind, String severity, String state, Double value, Double threshold,
                          Instant ts, Instant raisedAt, String message) {

    /** Severities from least to most severe; an unknown one ranks above all (never filtered away). */
    public static final List<String> SEVERITIES = List.of("WARNING", "CRITICAL");
    public static final List<String> STATES = List.of("RAISED", "ESCALATED", "DEESCALATED", "CLEARED");

    public AlertNotice {
        Objects.requireNonNull(alertId, "alert_id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(ts, "ts");
    }

    /**
     * The identity of this transition, the same on every redelivery: the episode (alert_id), what happened
     * (state) and when (ts). The state alone is not enough: an episode can escalate, de-escalate and
     * escalate again.
     */
    public String eventId() {
        return alertId + "/" + state + "/" + ts.toEpochMilli();
    }

    public static int severityRank(String severity) {
        int rank = severity == null ? -1 : SEVERITIES.indexOf(severity);
        return rank < 0 ? SEVERITIES.size() : rank;
    }
}
