package io.tagstream.alerts;

import io.tagstream.schema.AlertKind;
import io.tagstream.schema.AlertState;
import io.tagstream.schema.Severity;

/**
 * One state transition of an episode, what becomes an AlertEvent (the tag's identity is added by the caller).
 *
 * @param ts       epoch millis of the transition
 * @param raisedAt epoch millis when the episode was raised
 */
public record AlertTransition(String alertId, AlertKind kind, Severity severity, AlertState state, Double value,
                              Double threshold, long ts, long raisedAt, String ruleId, String message) {

    /** Compact form for test assertions and logs, e.g. {@code RAISED HIGH WARNING}. */
    public String summary() {
        return state + " " + kind + " " + severity;
    }
}
