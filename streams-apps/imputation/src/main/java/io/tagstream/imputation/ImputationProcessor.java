package io.tagstream.imputation;

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
 * Applies {@link GapFiller} to each reading, keeping the per-tag {@link GapState} in a changelogged
 * store. Filled points and the sample are forwarded in time order, each with its measurement time as
 * record timestamp.
 */
final class ImputationProcessor implements Processor<String, Reading, String, Reading> {

    private static final Logger LOG = LoggerFactory.getLogger(ImputationProcessor.class);

    /** Decoded states kept per task; beyond this, states are decoded from the store again. */
    private static final int CACHED_TAGS = 100_000;

    private final String storeName;
    private final Function<String, GapSettings> settings;
    private final AppMetrics metrics;
    private ProcessorContext<String, Reading> context;
    private ReadThroughStore<GapState> store;

    ImputationProcessor(String storeName, Function<String, GapSettings> settings, AppMetrics metrics) {
        this.storeName = storeName;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Reading> context) {
        this.context = context;
        KeyValueStore<String, GapState> kv = context.getStateStore(storeName);
        this.store = new ReadThroughStore<>(kv, CACHED_TAGS);
    }

    @Override
    public void process(Record<String, Reading> record) {
        metrics.recordIn();
        Reading reading = record.value();
        if (reading == null) {
            metrics.suppressed();
            LOG.debug("ignoring record without value, key {}", record.key());
            return;
        }
        String key = record.key() != null ? record.key()
                : reading.getSite() + "/" + reading.getDevice() + "/" + reading.getTag();
        GapState state = store.get(key);
        GapFiller.Outcome outcome = GapFiller.apply(state, reading, settings.apply(key));
        if (outcome.state() != state) {
            store.put(key, outcome.state());
        }
        switch (outcome.reason()) {
            case OUT_OF_ORDER -> metrics.outOfOrder();
            case DUPLICATE -> metrics.duplicate();
            case GAP_TOO_LONG, TOO_MANY_POINTS, NOT_FILLED_BAD_QUALITY, NOT_FILLED_NO_NUMBER -> metrics.gapLeftOpen();
            default -> { }
        }
        metrics.imputed(outcome.imputed());
        for (Reading emitted : outcome.emitted()) {
            context.forward(record.withKey(key).withValue(emitted).withTimestamp(emitted.getTs().toEpochMilli()));
        }
        metrics.recordsOut(outcome.emitted().size());
    }
}
