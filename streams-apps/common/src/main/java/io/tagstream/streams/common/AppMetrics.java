package io.tagstream.streams.common;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters an operator looks at: what came in, what went out, what was suppressed, imputed,
 * out of order or dead-lettered. Shared by the processors and error handlers of one app instance;
 * counted since the process started (Kafka Streams' own metrics cover the rest).
 */
public final class AppMetrics {

    /** Key under which the instance travels in the Streams properties, so the error handlers find it. */
    public static final String CONFIG_KEY = "tagstream.app.metrics";

    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder recordsOut = new LongAdder();
    private final LongAdder suppressed = new LongAdder();
    private final LongAdder imputed = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder gapsLeftOpen = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private volatile long lastRecordMillis;

    public void recordIn() {
        recordsIn.increment();
        lastRecordMillis = System.currentTimeMillis();
    }

    public void recordsOut(int count) {
        recordsOut.add(count);
    }

    public void suppressed() {
        suppressed.increment();
    }

    public void imputed(int count) {
        imputed.add(count);
    }

    public void outOfOrder() {
        outOfOrder.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void gapLeftOpen() {
        gapsLeftOpen.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public long recordsIn() {
        return recordsIn.sum();
    }

    public long recordsOut() {
        return recordsOut.sum();
    }

    public long suppressedCount() {
        return suppressed.sum();
    }

    public long imputedCount() {
        return imputed.sum();
    }

    public long outOfOrderCount() {
        return outOfOrder.sum();
    }

    public long duplicateCount() {
        return duplicates.sum();
    }

    public long gapsLeftOpenCount() {
        return gapsLeftOpen.sum();
    }

    public long deadLetteredCount() {
        return deadLettered.sum();
    }

    /**
     * Data reduction: {@code 1 - records_out / records_in}, what storage is spared. Held samples sent before a
     * jump count as output, so this can be lower than {@code suppressed / records_in}. 0 when nothing came in
     * or when more went out than came in (gap filling).
     */
    /** When the last record came in (ISO-8601 UTC), or "never". */
    public String lastRecordAt() {
        long millis = lastRecordMillis;
        return millis == 0 ? "never" : java.time.Instant.ofEpochMilli(millis).toString();
    }

    public double suppressionRatio() {
        long in = recordsIn();
        return in == 0 ? 0.0 : Math.max(0.0, 1.0 - (double) recordsOut() / in);
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("records_in", recordsIn());
        values.put("records_out", recordsOut());
        values.put("suppressed", suppressedCount());
        values.put("suppression_ratio", suppressionRatio());
        values.put("imputed", imputedCount());
        values.put("out_of_order", outOfOrderCount());
        values.put("duplicates", duplicateCount());
        values.put("gaps_left_open", gapsLeftOpenCount());
        values.put("dead_lettered", deadLetteredCount());
        values.put("last_record_at", lastRecordAt());
        return values;
    }

    /** A flat JSON object; values are numbers or strings without characters that need escaping. */
    static String toJson(Map<String, Object> values) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(entry.getKey()).append("\":");
            Object value = entry.getValue();
            if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
                out.append("null");
            } else if (value instanceof Double d) {
                out.append(String.format(Locale.ROOT, "%.6f", d));
            } else if (value instanceof Number) {
                out.append(value);
            } else {
                out.append('"').append(String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return out.append('}').toString();
    }

    /** The instance the app put into the Streams properties, or a fresh one (handlers used alone, in tests). */
    public static AppMetrics from(Map<String, ?> configs) {
        Object value = configs.get(CONFIG_KEY);
        return value instanceof AppMetrics metrics ? metrics : new AppMetrics();
    }
}
