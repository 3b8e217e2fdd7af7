package io.tagstream.deadband;

import java.util.function.Function;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.schema.Reading;
import io.tagstream.streams.common.AppMetrics;

/**
 * input (Readings) -> deadband processor with its state store -> output. Keys stay {@code site/device/tag},
 * so no repartitioning: input and output are co-partitioned.
 */
public final class DeadbandTopology {

    private static final Logger LOG = LoggerFactory.getLogger(DeadbandTopology.class);

    public static final String STORE = "deadband-state";
    static final String SOURCE = "readings";
    static final String PROCESSOR = "deadband";
    static final String SINK = "deadbanded";

    private DeadbandTopology() {
    }

    public static Topology build(String inputTopic, String outputTopic, Serde<Reading> readingSerde,
                                 Function<String, DeadbandSettings> settings, AppMetrics metrics) {
        // persistent (RocksDB) and changelogged: the last sent sample per tag survives restarts and moves
        StoreBuilder<KeyValueStore<String, DeadbandState>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.String(), stateSerde())
                .withCachingEnabled()
                .withLoggingEnabled(java.util.Map.of());
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), readingSerde.deserializer(), inputTopic);
        topology.addProcessor(PROCESSOR, () -> new DeadbandProcessor(STORE, settings, metrics), SOURCE);
        topology.addStateStore(store, PROCESSOR);
        topology.addSink(SINK, outputTopic, Serdes.String().serializer(), readingSerde.serializer(), PROCESSOR);
        return topology;
    }

    /**
     * State that this build cannot read (another format or Reading schema) counts as absent, with a warning:
     * the tag then starts afresh (its next sample passes), which is safe; failing every record of the tag is not.
     */
    static Serde<DeadbandState> stateSerde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : state.toBytes(), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return DeadbandState.fromBytes(bytes);
            } catch (RuntimeException e) {
                LOG.warn("ignoring unreadable state in {}: {}", topic, e.getMessage());
                return null;
            }
        });
    }
}
