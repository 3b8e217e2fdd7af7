package io.tagstream.aggregation;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.schema.Aggregate;
import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.ReadThroughStore;

/**
 * Windows the readings of one task (input partition) by measurement time and emits each window once, when
 * it closes:
 * <ul>
 *   <li>The window clock ({@link WindowClock}) is, with {@code tag}, the newest measurement time seen for the
 *       reading's tag; with {@code partition}, the newest the task has seen (stream time). A minute closes when
 *       {@code end + grace <= clock}; an hour when its last minute has (its end + grace).</li>
 *   <li>A reading whose minute has closed is late: it goes to the late topic with headers and is counted,
 *       and touches no state.</li>
 *   <li>Per-tag state ({@link TagWindows}, including the tag's clock and how far its windows are closed) lives
 *       in a changelogged store and is written with every reading; the partition's stream time lives in a
 *       second one, written whenever windows may close, so a restarted task never reopens a window it has
 *       already emitted.</li>
 * </ul>
 * With the tag clock a tag's windows close when its own readings move its clock, in the same step. With the
 * partition clock, which tags have windows due when is kept in memory ({@link #due}) and rebuilt from the
 * store on the first record after (re)initialization.
 */
final class WindowAggregationProcessor implements Processor<String, Reading, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowAggregationProcessor.class);

    /** Decoded states kept per task; beyond this, states are decoded from the store again. */
    private static final int CACHED_TAGS = 100_000;
    static final String STREAM_TIME_KEY = "stream-time";

    private final AggregationTopology.Settings settings;
    private final boolean tagClock;
    private final AggregationMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, TagWindows> rawStore;
    private ReadThroughStore<TagWindows> store;
    private KeyValueStore<String, Long> streamTimeStore;
    /** Window end -> tags with an open minute or hour ending then. */
    private final TreeMap<Long, Set<String>> due = new TreeMap<>();
    private boolean restored;
    private long streamTime;
    private long persistedCloseMinute;

    WindowAggregationProcessor(AggregationTopology.Settings settings, AggregationMetrics metrics) {
        this.settings = settings;
        this.tagClock = settings.clock() == WindowClock.TAG;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.rawStore = context.getStateStore(AggregationTopology.STORE);
        this.store = new ReadThroughStore<>(rawStore, CACHED_TAGS);
        this.streamTimeStore = context.getStateStore(AggregationTopology.STREAM_TIME_STORE);
        // re-initialization after an aborted transaction restores the stores: in-memory views start again
        due.clear();
        restored = false;
    }

    /**
     * Rebuilds stream time and (partition clock) the due index from the stores (once per initialization, on the
     * first record). The tag clock needs no index: each tag's clock is in its state.
     */
    private void restore() {
        Long saved = streamTimeStore.get(STREAM_TIME_KEY);
        streamTime = saved == null ? Long.MIN_VALUE : saved;
        persistedCloseMinute = closeMinute(streamTime);
        restored = true;
        if (tagClock) {
            return;
        }
        int tags = 0;
        try (KeyValueIterator<String, TagWindows> all = rawStore.all()) {
            while (all.hasNext()) {
                KeyValue<String, TagWindows> entry = all.next();
                if (entry.value == null) {
                    continue;
                }
                tags++;
                for (OpenMinute minute : entry.value.openMinutes()) {
                    index(minute.end(), entry.key);
                }
                indexAfterClosing(entry.key, entry.value);
            }
        }
        if (tags > 0) {
            LOG.info("task {}: {} tags with state, stream time {}", context.taskId(), tags,
                    streamTime == Long.MIN_VALUE ? "none" : Instant.ofEpochMilli(streamTime));
        }
    }

    @Override
    public void process(Record<String, Reading> record) {
        if (!restored) {
            restore();
        }
        metrics.recordIn();
        Reading reading = record.value();
        if (reading == null) {
            // a tombstone carries no sample
            metrics.withoutValue();
            return;
        }
        String key = record.key() != null ? record.key()
                : reading.getSite() + "/" + reading.getDevice() + "/" + reading.getTag();
        long ts = reading.getTs().toEpochMilli();
        long minuteStart = EpochWindows.minuteStart(ts);
        if (!tagClock && streamTime != Long.MIN_VALUE
                && minuteStart + EpochWindows.MINUTE_MS + settings.graceMs() <= streamTime) {
            late(record, key, minuteStart, streamTime);
            return;
        }
        TagWindows state = store.get(key);
        if (state != null) {
            if (state.isFormat1()) {
                // written under the partition clock, before states had their own: what that clock had closed
                state.closedAtLeast(limit(streamTime));
            }
            // with the tag clock the tag's own; with the partition clock, what the tag's windows were closed
            // through under the tag clock before a switch (never more than the partition clock closes)
            if (state.isClosed(minuteStart, limit(state.clock()))) {
                late(record, key, minuteStart, tagClock ? state.clock() : streamTime);
                return;
            }
        }
        if (reading.getQuality() == Quality.BAD) {
            metrics.badSample();
        } else if (reading.getValue() == null || !Double.isFinite(reading.getValue())) {
            metrics.withoutValue();
        }
        if (reading.getOrigin() == Origin.IMPUTED) {
            metrics.imputedSample();
        }
        if (state == null) {
            state = TagWindows.of(reading);
        }
        if (state.add(reading, minuteStart) && !tagClock) {
            index(minuteStart + EpochWindows.MINUTE_MS, key);
        }
        if (state.advanceClock(ts) && tagClock) {
            long limit = limit(ts);
            if (EpochWindows.minuteStart(limit) > state.closedThrough()) {
                // a minute boundary passed on the tag's clock: windows of the tag may close
                TagWindows closing = state;
                state.closeThrough(limit, settings.maxStepMs(),
                        minute -> emit(key, closing, minute, AggregationTopology.MINUTE_SINK),
                        hour -> emit(key, closing, hour, AggregationTopology.HOUR_SINK));
            }
            // never idle here: the minute of the reading just added is still open
        }
        store.put(key, state);
        if (ts > streamTime) {
            streamTime = ts;
            if (tagClock) {
                // kept under the tag clock too, so that a switch to the partition clock never reopens a window
                persistStreamTime();
            } else {
                closeDueWindows();
            }
        }
    }

    /** The closing limit of a clock: windows ending at or before it are closed. */
    private long limit(long clock) {
        return clock == Long.MIN_VALUE ? Long.MIN_VALUE : clock - settings.graceMs();
    }

    private void late(Record<String, Reading> record, String key, long minuteStart, long clock) {
        metrics.late();
        LOG.debug("late reading {} at {}: window {} closed, {} clock {}", key, record.value().getTs(),
                Instant.ofEpochMilli(minuteStart), settings.clock().configValue(), Instant.ofEpochMilli(clock));
        context.forward(record.withKey(key).withValue((Object) record.value())
                .withHeaders(LateReadings.headers(record.headers(), context.applicationId(), minuteStart, clock,
                        settings.clock(), settings.graceMs(), context.recordMetadata().orElse(null))),
                AggregationTopology.LATE_SINK);
    }

    private void closeDueWindows() {
        long limit = streamTime - settings.graceMs();
        Map.Entry<Long, Set<String>> entry;
        while ((entry = due.firstEntry()) != null && entry.getKey() <= limit) {
            due.pollFirstEntry();
            for (String key : entry.getValue()) {
                close(key, limit);
            }
        }
        persistStreamTime();
    }

    private void persistStreamTime() {
        long closeMinute = closeMinute(streamTime);
        if (closeMinute != persistedCloseMinute) {
            // windows up to here may have closed: the restored stream time must be at least this far
            streamTimeStore.put(STREAM_TIME_KEY, streamTime);
            persistedCloseMinute = closeMinute;
        }
    }

    private void close(String key, long limit) {
        TagWindows state = store.get(key);
        if (state == null) {
            return;
        }
        state.closeThrough(limit, settings.maxStepMs(),
                minute -> emit(key, state, minute, AggregationTopology.MINUTE_SINK),
                hour -> emit(key, state, hour, AggregationTopology.HOUR_SINK));
        if (state.idle(limit, settings.maxStepMs())) {
            // a tag that went quiet leaves no state behind once nothing of it can matter any more
            store.put(key, null);
        } else {
            indexAfterClosing(key, state);
            store.put(key, state);
        }
    }

    /** Open minutes are indexed when they open; the open hour, or else the time the state can go, here. */
    private void indexAfterClosing(String key, TagWindows state) {
        if (state.hour() != null) {
            index(state.openHourEnd(), key);
        } else if (state.openMinutes().isEmpty()) {
            index(state.idleFrom(settings.maxStepMs()), key);
        }
    }

    private void emit(String key, TagWindows state, WindowStats stats, String sink) {
        if (AggregationTopology.HOUR_SINK.equals(sink)) {
            metrics.hourAggregate();
        } else {
            metrics.minuteAggregate();
        }
        context.forward(new Record<>(key, (Object) toAggregate(state, stats), stats.start()), sink);
    }

    static Aggregate toAggregate(TagWindows state, WindowStats stats) {
        boolean values = stats.hasValues();
        double twa = stats.timeWeightedAverage();
        return Aggregate.newBuilder()
                .setSite(state.site()).setLine(state.line()).setDevice(state.device()).setTag(state.tag())
                .setWindowStart(Instant.ofEpochMilli(stats.start())).setWindowEnd(Instant.ofEpochMilli(stats.end()))
                .setCount(stats.count()).setImputedCount(stats.imputedCount()).setBadCount(stats.badCount())
                .setMin(values ? stats.min() : null).setMax(values ? stats.max() : null)
                .setSum(values ? stats.sum().value() : 0.0)
                .setAvg(values ? stats.mean() : null)
                .setFirst(values ? stats.first() : null).setLast(values ? stats.last() : null)
                .setStddev(values ? stats.stddev() : null)
                .setTwa(Double.isNaN(twa) ? null : twa)
                .setUnit(state.unit())
                .build();
    }

    private void index(long end, String key) {
        due.computeIfAbsent(end, e -> new HashSet<>()).add(key);
    }

    private long closeMinute(long time) {
        return time == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(time - settings.graceMs(), EpochWindows.MINUTE_MS);
    }
}
