package io.tagstream.imputation;

import java.util.Map;
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

/** input (Readings) -> gap-filling processor with its state store -> output; keys unchanged, no repartitioning. */
public final class ImputationTopology {

    private static final Logger LOG = LoggerFactory.getLogger(ImputationTopology.class);

    public static final String STORE = "imputation-state";
    static final String SOURCE = "readings";
    static final String PROCESSOR = "imputation";
    static final String SINK = "clean";

    private ImputationTopology() {
    }

    public static Topology build(String inputTopic, String outputTopic, Serde<Reading> readingSerde,
                                 Function<String, GapSettings> settings, AppMetrics metrics) {
        StoreBuilder<KeyValueStore<String, GapState>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.String(), stateSerde())
                .withCachingEnabled()
                .withLoggingEnabled(Map.of());
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), readingSerde.deserializer(), inputTopic);
        topology.addProcessor(PROCESSOR, () -> new ImputationProcessor(STORE, settings, metrics), SOURCE);
        topology.addStateStore(store, PROCESSOR);
        topology.addSink(SINK, outputTopic, Serdes.String().serializer(), readingSerde.serializer(), PROCESSOR);
        return topology;
    }

    /**
     * State that this build cannot read (another format or Reading schema) counts as absent, with a warning:
     * the tag then starts afresh (its next sample passes), which is safe; failing every record of the tag is not.
     */
    static Serde<GapState> stateSerde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : state.toBytes(), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return GapState.fromBytes(bytes);
            } catch (RuntimeException e) {
                LOG.warn("ignoring unreadable state in {}: {}", topic, e.getMessage());
                return null;
            }
        });
    }
}
