package io.tagstream.alerts;

import io.tagstream.schema.AlertKind;
import io.tagstream.schema.Severity;

/** The four value limits of a tag, each a (kind, severity) pair an episode can be at. */
public enum Limit {
    WARNING_HIGH(AlertKind.HIGH, Severity.WARNING),
    CRITICAL_HIGH(AlertKind.HIGH, Severity.CRITICAL),
    WARNING_LOW(AlertKind.LOW, Severity.WARNING),
    CRITICAL_LOW(AlertKind.LOW, Severity.CRITICAL);

    private static final Limit[] VALUES = values();

    private final AlertKind kind;
    private final Severity severity;

    Limit(AlertKind kind, Severity severity) {
        this.kind = kind;
        this.severity = severity;
    }

    public AlertKind kind() {
        return kind;
    }

    public Severity severity() {
        return severity;
    }

    public boolean high() {
        return kind == AlertKind.HIGH;
    }

    static Limit of(AlertKind kind, Severity severity) {
        for (Limit limit : VALUES) {
            if (limit.kind == kind && limit.severity == severity) {
                return limit;
            }
        }
        throw new IllegalArgumentException("no value limit for " + kind + " " + severity);
    }

    /** The warning limit of the same direction, for de-escalation; null for warning limits. */
    Limit lower() {
        return severity == Severity.CRITICAL ? of(kind, Severity.WARNING) : null;
    }
}
