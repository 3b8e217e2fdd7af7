package io.tagstream.alerts;

import io.tagstream.schema.Severity;

/**
 * The alert settings in force for one tag, resolved from the most specific rule (or the address-map
 * default). Limits that are null are not checked.
 *
 * @param ruleId            the rule these come from, carried into every event it drives
 * @param hysteresis        an active limit clears only when the value is back inside limit ∓ hysteresis
 * @param onDelayMs         a limit must be exceeded continuously this long (reading time) before it raises or escalates
 * @param clearDelayMs      an active condition must be gone continuously this long before it clears or de-escalates
 * @param staleAfterMs      no reading for this long (wall clock) raises STALE; 0 = not checked
 * @param badQualityAfterMs BAD quality continuously this long (reading time) raises BAD_QUALITY; negative = not checked
 */
public record Thresholds(String ruleId, Double warningHigh, Double criticalHigh, Double warningLow, Double criticalLow,
                         double hysteresis, long onDelayMs, long clearDelayMs, long staleAfterMs, long badQualityAfterMs,
                         Severity staleSeverity, Severity badQualitySeverity) {

    public Double limit(Limit limit) {
        return switch (limit) {
            case WARNING_HIGH -> warningHigh;
            case CRITICAL_HIGH -> criticalHigh;
            case WARNING_LOW -> warningLow;
            case CRITICAL_LOW -> criticalLow;
        };
    }

    public boolean checksStale() {
        return staleAfterMs > 0;
    }

    public boolean checksBadQuality() {
        return badQualityAfterMs >= 0;
    }

    /** The same settings with other value limits (tests, and rules changed mid-episode). */
    public Thresholds withLimits(String rule, Double wHigh, Double cHigh, Double wLow, Double cLow) {
        return new Thresholds(rule, wHigh, cHigh, wLow, cLow, hysteresis, onDelayMs, clearDelayMs, staleAfterMs,
                badQualityAfterMs, staleSeverity, badQualitySeverity);
    }

    public Thresholds withTiming(double newHysteresis, long newOnDelayMs, long newClearDelayMs) {
        return new Thresholds(ruleId, warningHigh, criticalHigh, warningLow, criticalLow, newHysteresis, newOnDelayMs,
                newClearDelayMs, staleAfterMs, badQualityAfterMs, staleSeverity, badQualitySeverity);
    }

    public Thresholds withStaleAndBad(long newStaleAfterMs, long newBadQualityAfterMs) {
        return new Thresholds(ruleId, warningHigh, criticalHigh, warningLow, criticalLow, hysteresis, onDelayMs,
                clearDelayMs, newStaleAfterMs, newBadQualityAfterMs, staleSeverity, badQualitySeverity);
    }
}
