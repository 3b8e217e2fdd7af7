package io.tagstream.alerts;

import java.util.List;

/**
 * Which settings apply to a tag: the most specific enabled rule that matches it (rules sorted with
 * {@link ThresholdRule#MOST_SPECIFIC_FIRST}), else the address-map default. The winning rule is taken whole:
 * a limit it leaves null is not checked, even if a less specific rule sets it. Disabled rules are skipped,
 * so disabling a rule falls back to the next one rather than silencing the tag.
 */
public final class ThresholdResolver {

    private ThresholdResolver() {
    }

    public static Thresholds resolve(List<ThresholdRule> mostSpecificFirst, TagDefaults defaults, String site,
                                     String device, String tag) {
        for (ThresholdRule rule : mostSpecificFirst) {
            if (rule.enabled() && rule.matches(site, device, tag)) {
                return defaults.fromRule(rule);
            }
        }
        return defaults.forTag(site, device, tag);
    }
}
