package io.tagstream.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.schema.AlertEvent;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.AppMetrics;

/**
 * Runs the {@link AlertStateMachine} of every tag of its task: per reading, and on a wall-clock punctuation
 * for STALE (so a dead device alarms although nothing arrives). The tag states live in a changelogged store
 * written in the same transaction as the events (exactly_once_v2): after a crash or restart the active
 * episodes are exactly those whose events were committed, so nothing is emitted twice or lost.
 */
final class AlertProcessor implements Processor<String, Reading, String, AlertEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);

    /** Decoded states kept per task; beyond this, states are decoded from the store again. */
    private static final int CACHED_TAGS = 100_000;
    /**
     * A state whose only change is the newest reading time / last-seen time is written at most this often
     * (wall clock) per tag; every other change is written at once. This spares the store and its changelog
     * one write per tag and commit. After a restart the restored times can be this much older: readings of
     * that last second are judged again, which changes nothing (they changed nothing the first time, and a
     * reading that did is written with its time), and STALE can come up to this much earlier.
     */
    static final long PERSIST_TIMES_EVERY_MS = 1_000;

    private final String storeName;
    private final RuleBook rules;
    private final TagDefaults defaults;
    private final long staleCheckIntervalMs;
    private final AppMetrics metrics;
    private ProcessorContext<String, AlertEvent> context;
    private KeyValueStore<String, TagAlertState> kv;
    /** The current state of recently seen tags, ahead of the store by at most the reading and last-seen times. */
    private Map<String, TagAlertState> live;
    private final Map<String, Thresholds> resolved = new HashMap<>();
    private long generation = -1;
    /** Wall-clock time each tag was last seen, for tags that can go stale; built from the store on the first tick. */
    private Map<String, Long> lastSeen;
    /** When this task started; tags restored from the store are not older than this for STALE. */
    private long startedWall;

    AlertProcessor(String storeName, RuleBook rules, TagDefaults defaults, long staleCheckIntervalMs, AppMetrics metrics) {
        this.storeName = storeName;
        this.rules = rules;
        this.defaults = defaults;
        this.staleCheckIntervalMs = staleCheckIntervalMs;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, AlertEvent> context) {
        this.context = context;
        this.kv = context.getStateStore(storeName);
        // created here: when Kafka Streams re-initializes the task after an aborted transaction, the store is
        // restored and everything held in memory starts afresh from it
        this.live = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TagAlertState> eldest) {
                return size() > CACHED_TAGS;
            }
        };
        this.lastSeen = null;
        this.startedWall = context.currentSystemTimeMs();
        this.resolved.clear();
        this.generation = -1;
        context.schedule(Duration.ofMillis(staleCheckIntervalMs), PunctuationType.WALL_CLOCK_TIME, this::checkStale);
    }

    @Override
    public void process(Record<String, Reading> record) {
        metrics.recordIn();
        Reading reading = record.value();
        if (reading == null) {
            LOG.debug("ignoring record without value, key {}", record.key());
            return;
        }
        String key = record.key() != null ? record.key()
                : reading.getSite() + "/" + reading.getDevice() + "/" + reading.getTag();
        TagAlertState state = state(key);
        long ts = reading.getTs().toEpochMilli();
        if (AlertStateMachine.isOutOfOrder(state, ts)) {
            metrics.outOfOrder(); // replay or duplicate: already taken into account
            return;
        }
        long now = context.currentSystemTimeMs();
        TagAlertState before = state.copy();
        List<AlertTransition> transitions;
        try {
            state.line = reading.getLine();
            transitions = AlertStateMachine.onReading(key, state, ts, reading.getValue(), reading.getQuality(), now,
                    thresholds(key, reading.getSite(), reading.getDevice(), reading.getTag()));
        } catch (RuntimeException e) {
            live.remove(key); // possibly half-changed; the store has the last good state
            throw e;
        }
        if (state.differsBeyondTimes(before) || now - state.persistedWall >= PERSIST_TIMES_EVERY_MS) {
            persist(key, state, now);
        }
        if (lastSeen != null) {
            lastSeen.put(key, state.lastSeenWall);
        }
        emit(reading.getSite(), reading.getDevice(), reading.getTag(), state.line, transitions);
    }

    private TagAlertState state(String key) {
        TagAlertState state = live.get(key);
        if (state == null) {
            state = kv.get(key);
            if (state == null) {
                state = new TagAlertState();
            } else {
                state.persistedWall = context.currentSystemTimeMs();
            }
            live.put(key, state);
        }
        return state;
    }

    private void persist(String key, TagAlertState state, long now) {
        kv.put(key, state);
        state.persistedWall = now;
    }

    private void checkStale(long now) {
        if (lastSeen == null) {
            lastSeen = new HashMap<>();
            try (KeyValueIterator<String, TagAlertState> all = kv.all()) {
                while (all.hasNext()) {
                    KeyValue<String, TagAlertState> entry = all.next();
                    TagAlertState state = live.getOrDefault(entry.key, entry.value);
                    if (state != null && state.stale == null && state.lastSeenWall != TagAlertState.NONE) {
                        // while the app was down nobody watched: the STALE clock of a restored tag starts no
                        // earlier than this task, so a restart does not page for every tag whose backlog waits
                        lastSeen.put(entry.key, Math.max(state.lastSeenWall, startedWall));
                    }
                }
            }
        }
        Iterator<Map.Entry<String, Long>> tags = lastSeen.entrySet().iterator();
        while (tags.hasNext()) {
            Map.Entry<String, Long> tag = tags.next();
            Thresholds thresholds = thresholds(tag.getKey(), null, null, null);
            if (!thresholds.checksStale() || now - tag.getValue() < thresholds.staleAfterMs()) {
                continue;
            }
            String[] id = identity(tag.getKey());
            TagAlertState state = state(tag.getKey());
            List<AlertTransition> transitions = AlertStateMachine.onWallClock(tag.getKey(), state, now, thresholds);
            if (!transitions.isEmpty()) {
                persist(tag.getKey(), state, now);
                emit(id[0], id[1], id[2], state.line, transitions);
            }
            tags.remove(); // stale now (or already): the next reading puts it back
        }
    }

    /** The tag's settings; site, device and tag may be null, then they come from the key (only on a cache miss). */
    private Thresholds thresholds(String key, String site, String device, String tag) {
        RuleBook.Snapshot snapshot = rules.snapshot();
        if (snapshot.generation() != generation) {
            resolved.clear(); // a rule changed: resolve again, so it applies to the next reading
            generation = snapshot.generation();
        }
        Thresholds thresholds = resolved.get(key);
        if (thresholds == null) {
            if (site == null) {
                String[] id = identity(key);
                site = id[0];
                device = id[1];
                tag = id[2];
            }
            thresholds = ThresholdResolver.resolve(snapshot.rules(), defaults, site, device, tag);
            resolved.put(key, thresholds);
        }
        return thresholds;
    }

    private void emit(String site, String device, String tag, String line, List<AlertTransition> transitions) {
        for (AlertTransition transition : transitions) {
            AlertEvent event = AlertEvent.newBuilder()
                    .setAlertId(transition.alertId()).setSite(site).setLine(line).setDevice(device).setTag(tag)
                    .setRuleId(transition.ruleId()).setKind(transition.kind()).setSeverity(transition.severity())
                    .setState(transition.state()).setValue(transition.value()).setThreshold(transition.threshold())
                    .setTs(Instant.ofEpochMilli(transition.ts())).setRaisedAt(Instant.ofEpochMilli(transition.raisedAt()))
                    .setMessage(transition.message()).build();
            LOG.debug("alert {} {}", transition.alertId(), transition.message());
            context.forward(new Record<>(transition.alertId(), event, transition.ts()));
        }
        metrics.recordsOut(transitions.size());
    }

    /** site, device, tag from the key {@code site/device/tag} (names cannot contain '/'). */
    static String[] identity(String key) {
        String[] parts = key.split("/", 3);
        return parts.length == 3 ? parts : new String[] {key, "", ""};
    }
}
