package io.tagstream.aggregation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.tagstream.streams.common.AppMetrics;

/**
 * The counters of the aggregation app on {@code /metrics}: the shared ones that apply (records in, records
 * out = aggregates written, dead-lettered; the dead-letter handlers count into {@link #app()}) and its own:
 * late readings, 1-minute and 1-hour aggregates, BAD and imputed samples, records without a value.
 */
public final class AggregationMetrics {

    private final AppMetrics app;
    private final LongAdder late = new LongAdder();
    private final LongAdder minuteAggregates = new LongAdder();
    private final LongAdder hourAggregates = new LongAdder();
    private final LongAdder badSamples = new LongAdder();
    private final LongAdder imputedSamples = new LongAdder();
    private final LongAdder withoutValue = new LongAdder();

    public AggregationMetrics() {
        this(new AppMetrics());
    }

    public AggregationMetrics(AppMetrics app) {
        this.app = app;
    }

    /** The shared counters; the instance the error handlers find in the Streams properties. */
    public AppMetrics app() {
        return app;
    }

    void recordIn() {
        app.recordIn();
    }

    void late() {
        late.increment();
    }

    void minuteAggregate() {
        minuteAggregates.increment();
        app.recordsOut(1);
    }

    void hourAggregate() {
        hourAggregates.increment();
        app.recordsOut(1);
    }

    void badSample() {
        badSamples.increment();
    }

    void imputedSample() {
        imputedSamples.increment();
    }

    void withoutValue() {
        withoutValue.increment();
    }

    public long recordsIn() {
        return app.recordsIn();
    }

    public long lateCount() {
        return late.sum();
    }

    public long minuteAggregateCount() {
        return minuteAggregates.sum();
    }

    public long hourAggregateCount() {
        return hourAggregates.sum();
    }

    public long deadLetteredCount() {
        return app.deadLetteredCount();
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("records_in", app.recordsIn());
        values.put("records_out", app.recordsOut());
        values.put("aggregates_1m", minuteAggregates.sum());
        values.put("aggregates_1h", hourAggregates.sum());
        values.put("late", late.sum());
        values.put("bad_samples", badSamples.sum());
        values.put("imputed_samples", imputedSamples.sum());
        values.put("records_without_value", withoutValue.sum());
        values.put("dead_lettered", app.deadLetteredCount());
        values.put("last_record_at", app.lastRecordAt());
        return values;
    }
}
