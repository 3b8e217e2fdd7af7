package io.tagstream.aggregation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The samples of one tag in one minute that has not closed yet, kept in time order. Samples are kept (not
 * folded into running statistics) because a sample may still arrive out of order within the grace, and the
 * time-weighted average depends on the order; the previous minute's end step, needed at this minute's
 * start, is only known once that minute has closed.
 *
 * <p>Hand-written for speed: the samples are held in their serialized form, fixed-width records of 13 bytes
 * (offset from the minute start as int, value as double, NaN when unusable; flags), so writing the state
 * to the store after every reading is an array copy rather than an encoding of every sample again.
 * Mutable.
 */
final class OpenMinute {

    static final byte IMPUTED = 1;
    static final byte BAD = 2;
    static final int SAMPLE_BYTES = 13;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final long start;
    private int size;
    private byte[] samples;

    OpenMinute(long start, int capacity) {
        this.start = start;
        this.samples = new byte[Math.max(capacity, 4) * SAMPLE_BYTES];
    }

    /** From {@link #writeSamples}' bytes. */
    static OpenMinute of(long start, byte[] bytes, int offset, int count) {
        OpenMinute minute = new OpenMinute(start, count + 4);
        System.arraycopy(bytes, offset, minute.samples, 0, count * SAMPLE_BYTES);
        minute.size = count;
        for (int i = 1; i < count; i++) {
            if (minute.offset(i) < minute.offset(i - 1)) {
                throw new IllegalArgumentException("samples of an open minute out of order");
            }
        }
        return minute;
    }

    long start() {
        return start;
    }

    long end() {
        return start + EpochWindows.MINUTE_MS;
    }

    int size() {
        return size;
    }

    int offset(int i) {
        return (int) INT.get(samples, i * SAMPLE_BYTES);
    }

    double value(int i) {
        return Double.longBitsToDouble((long) LONG.get(samples, i * SAMPLE_BYTES + 4));
    }

    byte flags(int i) {
        return samples[i * SAMPLE_BYTES + 12];
    }

    /** Inserts after every sample with the same or an earlier time (arrival order breaks ties). */
    void add(long ts, double value, byte sampleFlags) {
        int offset = (int) (ts - start);
        if ((size + 1) * SAMPLE_BYTES > samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        int at = size;
        while (at > 0 && offset(at - 1) > offset) {
            at--;
        }
        int position = at * SAMPLE_BYTES;
        if (at < size) {
            System.arraycopy(samples, position, samples, position + SAMPLE_BYTES, (size - at) * SAMPLE_BYTES);
        }
        INT.set(samples, position, offset);
        LONG.set(samples, position + 4, Double.doubleToRawLongBits(value));
        samples[position + 12] = sampleFlags;
        size++;
    }

    int serializedSize() {
        return size * SAMPLE_BYTES;
    }

    void writeSamples(byte[] target, int position) {
        System.arraycopy(samples, 0, target, position, size * SAMPLE_BYTES);
    }

    /** The minute's statistics, given the step in force at its start. */
    WindowStats close(Step carry, long maxStepMs) {
        WindowStats.Accumulator accumulator = new WindowStats.Accumulator(start, carry, maxStepMs);
        for (int i = 0; i < size; i++) {
            double value = value(i);
            byte flags = flags(i);
            accumulator.add(start + offset(i), Double.isNaN(value) ? null : value, (flags & IMPUTED) != 0,
                    (flags & BAD) != 0);
        }
        return accumulator.closeAt(end());
    }
}
