package io.tagstream.aggregation;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.schema.Aggregate;
import io.tagstream.schema.Reading;

/**
 * input (Readings) -> window aggregation processor with its two stores -> 1-minute aggregates, 1-hour
 * aggregates, late readings. Keys stay {@code site/device/tag}: no repartitioning, and all windows of a tag
 * are in one task.
 */
public final class AggregationTopology {

    private static final Logger LOG = LoggerFactory.getLogger(AggregationTopology.class);

    public static final String STORE = "aggregation-windows";
    public static final String STREAM_TIME_STORE = "aggregation-stream-time";
    static final String SOURCE = "readings";
    static final String PROCESSOR = "window-aggregation";
    static final String MINUTE_SINK = "aggregates-1m";
    static final String HOUR_SINK = "aggregates-1h";
    static final String LATE_SINK = "late-readings";

    /**
     * @param graceMs   how long after its end a minute stays open for out-of-order readings
     * @param maxStepMs how long a value stays in force without a newer sample (time-weighted average)
     * @param clock     the time that closes windows: the tag's own newest reading, or the partition's
     */
    public record Settings(long graceMs, long maxStepMs, WindowClock clock) {
        public Settings {
            if (graceMs < 0 || maxStepMs <= 0 || clock == null) {
                throw new IllegalArgumentException("grace must be >= 0, max step > 0 and a clock given");
            }
        }

        /** With the default clock, {@link WindowClock#TAG}. */
        public Settings(long graceMs, long maxStepMs) {
            this(graceMs, maxStepMs, WindowClock.TAG);
        }
    }

    public record Topics(String input, String minuteOutput, String hourOutput, String late) {
    }

    private AggregationTopology() {
    }

    public static Topology build(Topics topics, Serde<Reading> readingSerde, Serde<Aggregate> aggregateSerde,
                                 Settings settings, AggregationMetrics metrics) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), readingSerde.deserializer(), topics.input());
        topology.addProcessor(PROCESSOR, () -> new WindowAggregationProcessor(settings, metrics), SOURCE);
        // persistent (RocksDB) and changelogged: open windows, each tag's clock and the partition's stream time
        // survive restarts and moves
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                stateSerde()).withCachingEnabled().withLoggingEnabled(Map.of()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STREAM_TIME_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled().withLoggingEnabled(Map.of()), PROCESSOR);
        topology.addSink(MINUTE_SINK, topics.minuteOutput(), Serdes.String().serializer(), aggregateSerde.serializer(),
                PROCESSOR);
        topology.addSink(HOUR_SINK, topics.hourOutput(), Serdes.String().serializer(), aggregateSerde.serializer(),
                PROCESSOR);
        topology.addSink(LATE_SINK, topics.late(), Serdes.String().serializer(), readingSerde.serializer(), PROCESSOR);
        return topology;
    }

    /**
     * State this build cannot read (another format) counts as absent, with a warning: the tag's open windows
     * are lost (their readings are not in any aggregate), which is logged; failing every record of the tag is worse.
     */
    static Serde<TagWindows> stateSerde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : state.toBytes(), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return TagWindows.fromBytes(bytes);
            } catch (RuntimeException e) {
                LOG.warn("ignoring unreadable state in {}: {}", topic, e.toString());
                return null;
            }
        });
    }
}
