package io.tagstream.connect.modbus.core;

import io.tagstream.addressmap.DataType;
import io.tagstream.addressmap.WordOrder;

/**
 * Turns the 16-bit words (or bits) a device returned into a tag's raw number. Plain Java, no Modbus or
 * Kafka types, so every type and word order is unit-tested byte by byte.
 *
 * <p>Word orders are named after a 32-bit value whose big-endian bytes are A B C D (see {@link WordOrder}):
 * ABCD reads the words as sent, CDAB reverses the order of the words, BADC swaps the two bytes inside
 * each word, DCBA does both. The same rule applies to one-word values (BADC and DCBA swap the bytes of a
 * 16-bit value) and to four-word values.
 */
public final class RegisterDecoder {

    private RegisterDecoder() {
    }

    /**
     * The raw value of a register-held tag.
     *
     * @param words unsigned 16-bit register values (0..65535) as returned by one read request
     * @param index position in {@code words} of the tag's first register
     * @param bit   for a BOOL in a register, the bit (0 = least significant); otherwise null
     */
    public static double decode(DataType type, WordOrder order, int[] words, int index, Integer bit) {
        if (type == DataType.BOOL) {
            int b = bit == null ? 0 : bit;
            // a BOOL register without a bit is true when the register is non-zero
            return bit == null ? (words[index] != 0 ? 1 : 0) : ((words[index] >>> b) & 1);
        }
        long bits = assemble(words, index, type.registers(), order == null ? WordOrder.ABCD : order);
        return switch (type) {
            case INT16 -> (short) bits;
            case UINT16 -> bits & 0xFFFFL;
            case INT32 -> (int) bits;
            case UINT32 -> bits & 0xFFFF_FFFFL;
            case INT64 -> bits;
            case UINT64 -> unsigned(bits);
            case FLOAT32 -> Float.intBitsToFloat((int) bits);
            case FLOAT64 -> Double.longBitsToDouble(bits);
            case BOOL -> throw new AssertionError("handled above");
        };
    }

    /** The raw value of a coil or discrete input: 1 or 0. */
    public static double decodeBit(boolean value) {
        return value ? 1 : 0;
    }

    /**
     * The engineering value raw * scale + offset, or null when it is not a finite number: a NaN or an
     * infinity from a float register is a device's way of saying "no valid measurement", and a NaN on
     * the topic would poison every sum and average downstream.
     */
    public static Double engineering(double raw, double scale, double offset) {
        double value = raw * scale + offset;
        return Double.isFinite(value) ? value : null;
    }

    /** The words of one value as a big-endian bit pattern, after undoing the device's word order. */
    static long assemble(int[] words, int index, int count, WordOrder order) {
        if (index < 0 || index + count > words.length) {
            throw new IllegalArgumentException("value at " + index + " needs " + count + " registers, response has " + words.length);
        }
        boolean reverseWords = order == WordOrder.CDAB || order == WordOrder.DCBA;
        boolean swapBytes = order == WordOrder.BADC || order == WordOrder.DCBA;
        long result = 0;
        for (int i = 0; i < count; i++) {
            int word = words[index + (reverseWords ? count - 1 - i : i)] & 0xFFFF;
            if (swapBytes) {
                word = ((word & 0xFF) << 8) | (word >>> 8);
            }
            result = (result << 16) | word;
        }
        return result;
    }

    private static double unsigned(long bits) {
        // the top bit set means >= 2^63; halve, convert, double (the lost last bit is below double precision)
        return bits >= 0 ? bits : ((bits >>> 1) | (bits & 1)) * 2.0;
    }
}
