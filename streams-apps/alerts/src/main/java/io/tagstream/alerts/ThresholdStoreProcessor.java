package io.tagstream.alerts;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the ops.thresholds topic into the global store (raw topic bytes, the same bytes Kafka Streams
 * restores into it from the topic) and keeps the {@link RuleBook} in step: loaded from the store when the
 * global task starts, then updated with every record, so a changed rule applies to the next reading.
 * A record that cannot be decoded is logged and skipped; the previous version of the rule stays.
 */
final class ThresholdStoreProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ThresholdStoreProcessor.class);

    private final String storeName;
    private final String topic;
    private final Deserializer<Object> keys;
    private final Deserializer<Object> values;
    private final RuleBook rules;
    private KeyValueStore<Bytes, byte[]> store;

    ThresholdStoreProcessor(String storeName, String topic, Deserializer<Object> keys, Deserializer<Object> values,
                            RuleBook rules) {
        this.storeName = storeName;
        this.topic = topic;
        this.keys = keys;
        this.values = values;
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        List<ThresholdRule> loaded = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                ThresholdRule rule = decode(entry.key.get(), entry.value);
                if (rule != null) {
                    loaded.add(rule);
                }
            }
        }
        rules.replaceAll(loaded);
        LOG.info("thresholds from {}: {} rules", topic, loaded.size());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            LOG.warn("ignoring a record without key on {}", topic);
            return;
        }
        if (record.value() == null) {
            store.delete(Bytes.wrap(record.key()));
            try {
                String ruleId = ThresholdRecords.ruleId(keys.deserialize(topic, record.key()));
                rules.remove(ruleId);
                LOG.info("threshold rule {} deleted", ruleId);
            } catch (RuntimeException e) {
                    LOG.warn("cannot read the key of a deleted threshold rule on {}: {}", topic, e.toString());
            }
            return;
        }
        ThresholdRule rule = decode(record.key(), record.value());
        if (rule != null) {
            store.put(Bytes.wrap(record.key()), record.value());
            rules.put(rule);
            LOG.info("threshold rule {} now {}", rule.ruleId(), rule);
        }
    }

    private ThresholdRule decode(byte[] key, byte[] value) {
        try {
            String ruleId = ThresholdRecords.ruleId(keys.deserialize(topic, key));
            Object row = values.deserialize(topic, value);
            if (!(row instanceof GenericRecord record)) {
                throw new IllegalArgumentException("not a record: " + row);
            }
            return ThresholdRecords.rule(ruleId, record);
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable threshold record on {}: {}", topic, e.toString());
            return null;
        }
    }
}
