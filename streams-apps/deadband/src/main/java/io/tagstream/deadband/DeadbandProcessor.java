package io.tagstream.deadband;

import java.util.function.Function;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.schema.Reading;
import io.tagstream.streams.common.AppMetrics;
import io.tagstream.streams.common.ReadThroughStore;

/**
 * Applies {@link Deadband} to each reading, keeping the per-tag {@link DeadbandState} in a changelogged
 * store so a restarted or moved task continues exactly where it stopped. Forwarded records carry the
 * measurement time as their timestamp.
 */
final class DeadbandProcessor implements Processor<String, Reading, String, Reading> {

    private static final Logger LOG = LoggerFactory.getLogger(DeadbandProcessor.class);

    /** Decoded states kept per task; beyond this, states are decoded from the store again. */
    private static final int CACHED_TAGS = 100_000;

    private final String storeName;
    private final Function<String, DeadbandSettings> settings;
    private final AppMetrics metrics;
    private ProcessorContext<String, Reading> context;
    private ReadThroughStore<DeadbandState> store;

    DeadbandProcessor(String storeName, Function<String, DeadbandSettings> settings, AppMetrics metrics) {
        this.storeName = storeName;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Reading> context) {
        this.context = context;
        KeyValueStore<String, DeadbandState> kv = context.getStateStore(storeName);
        this.store = new ReadThroughStore<>(kv, CACHED_TAGS);
    }

    @Override
    public void process(Record<String, Reading> record) {
        metrics.recordIn();
        Reading reading = record.value();
        if (reading == null) {
            // a tombstone carries no sample; nothing to compare or forward
            metrics.suppressed();
            LOG.debug("ignoring record without value, key {}", record.key());
            return;
        }
        String key = record.key() != null ? record.key()
                : reading.getSite() + "/" + reading.getDevice() + "/" + reading.getTag();
        DeadbandState state = store.get(key);
        Deadband.Outcome outcome = Deadband.apply(state, reading, settings.apply(key));
        if (outcome.state() != state) {
            store.put(key, outcome.state());
        }
        switch (outcome.reason()) {
            case SUPPRESSED -> metrics.suppressed();
            case OUT_OF_ORDER -> metrics.outOfOrder();
            default -> { }
        }
        for (Reading emitted : outcome.emitted()) {
            context.forward(record.withKey(key).withValue(emitted).withTimestamp(emitted.getTs().toEpochMilli()));
        }
        metrics.recordsOut(outcome.emitted().size());
    }
}
