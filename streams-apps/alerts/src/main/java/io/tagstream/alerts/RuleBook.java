package io.tagstream.alerts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current ops.thresholds rules, shared by the global-store processor that follows the topic (one
 * writer thread) and the stream threads that resolve thresholds (readers). Readers take an immutable
 * snapshot; its generation changes with every update, so they know when to drop their resolved cache.
 */
public final class RuleBook {

    /** Rules sorted most specific first, and a number that changes whenever they do. */
    public record Snapshot(List<ThresholdRule> rules, long generation) {
    }

    private final Map<String, ThresholdRule> rules = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(List.of(), 0);

    public Snapshot snapshot() {
        return snapshot;
    }

    public synchronized void put(ThresholdRule rule) {
        rules.put(rule.ruleId(), rule);
        publish();
    }

    public synchronized void remove(String ruleId) {
        if (rules.remove(ruleId) != null) {
            publish();
        }
    }

    public synchronized void replaceAll(Collection<ThresholdRule> all) {
        rules.clear();
        all.forEach(rule -> rules.put(rule.ruleId(), rule));
        publish();
    }

    private void publish() {
        List<ThresholdRule> sorted = new ArrayList<>(rules.values());
        sorted.sort(ThresholdRule.MOST_SPECIFIC_FIRST);
        snapshot = new Snapshot(List.copyOf(sorted), snapshot.generation() + 1);
    }
}
