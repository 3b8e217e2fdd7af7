package io.tagstream.alerts;

import java.util.Map;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.schema.AlertEvent;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.AppMetrics;

/**
 * readings (key site/device/tag) -> alert processor with the per-tag state store -> alert events (key
 * alert_id). The ops.thresholds topic feeds a global store: rules have wildcard scopes, so any rule can
 * apply to any tag and every task needs all of them; a co-partitioned table keyed by rule_id could not
 * be joined by tag. The topic is small, so each instance holding all of it costs nothing.
 */
public final class AlertsTopology {

    private static final Logger LOG = LoggerFactory.getLogger(AlertsTopology.class);

    public static final String STORE = "alert-state";
    public static final String THRESHOLDS_STORE = "thresholds";
    static final String SOURCE = "readings";
    static final String PROCESSOR = "alerts";
    static final String SINK = "alert-events";
    static final String THRESHOLDS_SOURCE = "thresholds-source";
    static final String THRESHOLDS_PROCESSOR = "thresholds-updater";

    private AlertsTopology() {
    }

    /**
     * @param ruleKeys   reads ops.thresholds keys (the primary-key struct) into a GenericRecord
     * @param ruleValues reads ops.thresholds rows into GenericRecords
     */
    public static Topology build(String inputTopic, String outputTopic, String thresholdsTopic, Serde<Reading> readingSerde,
                                 Serde<AlertEvent> eventSerde, Deserializer<Object> ruleKeys, Deserializer<Object> ruleValues,
                                 TagDefaults defaults, long staleCheckIntervalMs, AppMetrics metrics) {
        RuleBook rules = new RuleBook();
        // persistent (RocksDB) and changelogged: active episodes survive restarts and moves
        StoreBuilder<KeyValueStore<String, TagAlertState>> state = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.String(), stateSerde())
                .withCachingEnabled()
                .withLoggingEnabled(Map.of());
        // global stores are restored from their topic as raw bytes, so this one holds exactly the topic's bytes
        StoreBuilder<KeyValueStore<Bytes, byte[]>> thresholds = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(THRESHOLDS_STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled();
        Topology topology = new Topology();
        topology.addGlobalStore(thresholds, THRESHOLDS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                thresholdsTopic, THRESHOLDS_PROCESSOR,
                () -> new ThresholdStoreProcessor(THRESHOLDS_STORE, thresholdsTopic, ruleKeys, ruleValues, rules));
        topology.addSource(SOURCE, Serdes.String().deserializer(), readingSerde.deserializer(), inputTopic);
        topology.addProcessor(PROCESSOR, () -> new AlertProcessor(STORE, rules, defaults, staleCheckIntervalMs, metrics),
                SOURCE);
        topology.addStateStore(state, PROCESSOR);
        topology.addSink(SINK, outputTopic, Serdes.String().serializer(), eventSerde.serializer(), PROCESSOR);
        return topology;
    }

    /**
     * State this build cannot read (another format) counts as absent, with a warning: the tag starts afresh
     * rather than failing every one of its readings.
     */
    static Serde<TagAlertState> stateSerde() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : value.toBytes(), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return TagAlertState.fromBytes(bytes);
            } catch (RuntimeException e) {
                LOG.warn("ignoring unreadable alert state in {}: {}", topic, e.getMessage());
                return null;
            }
        });
    }
}
