package io.tagstream.alerts;

import java.util.Optional;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.addressmap.TagDefinition;
import io.tagstream.schema.Severity;

/**
 * What a tag gets when no ops.thresholds rule matches it: the address map's {@code hi} / {@code lo} as high /
 * low limits of the configured severity, with the configured hysteresis, delays, stale and bad-quality
 * settings. A tag that is not in the map has no value limits but is still checked for STALE and BAD_QUALITY.
 */
public final class TagDefaults {

    public static final String ADDRESS_MAP_RULE = "address-map";
    public static final String DEFAULT_RULE = "default";

    private final Optional<AddressMap> map;
    private final Severity limitSeverity;
    private final Thresholds base;

    /**
     * @param base timing, stale and bad-quality settings every default shares (its limits are ignored); also
     *             where rules without stale / bad-quality delays take theirs from
     */
    public TagDefaults(Optional<AddressMap> map, Severity limitSeverity, Thresholds base) {
        this.map = map;
        this.limitSeverity = limitSeverity;
        this.base = base.withLimits(DEFAULT_RULE, null, null, null, null);
    }

    public Thresholds forTag(String site, String device, String tag) {
        Optional<TagDefinition> definition = map.flatMap(m -> m.find(site, device, tag));
        if (definition.isEmpty() || definition.get().hi() == null && definition.get().lo() == null) {
            return base;
        }
        Double hi = definition.get().hi();
        Double lo = definition.get().lo();
        return limitSeverity == Severity.CRITICAL
                ? base.withLimits(ADDRESS_MAP_RULE, null, hi, null, lo)
                : base.withLimits(ADDRESS_MAP_RULE, hi, null, lo, null);
    }

    /** The settings of a rule; its null stale / bad-quality delays take the defaults. */
    public Thresholds fromRule(ThresholdRule rule) {
        return new Thresholds(rule.ruleId(), rule.warningHigh(), rule.criticalHigh(), rule.warningLow(), rule.criticalLow(),
                rule.hysteresis(), rule.onDelayMs(), rule.clearDelayMs(),
                rule.staleAfterMs() != null ? rule.staleAfterMs() : base.staleAfterMs(),
                rule.badQualityAfterMs() != null ? rule.badQualityAfterMs() : base.badQualityAfterMs(),
                base.staleSeverity(), base.badQualitySeverity());
    }
}
