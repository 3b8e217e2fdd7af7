package io.tagstream.simulator.modbus;

import io.tagstream.addressmap.DataType;
import io.tagstream.addressmap.WordOrder;

/** A raw value as the 16-bit words a device sends, in the given word order (the inverse of the connector's decoding). */
final class RegisterEncoder {

    private RegisterEncoder() {
    }

    static int[] encode(DataType type, WordOrder order, double value) {
        int count = type.registers();
        long bits = switch (type) {
            case INT16, UINT16, INT32, UINT32, INT64, BOOL -> Math.round(value);
            case UINT64 -> value >= 9.223372036854775807E18 ? Math.round(value / 2) << 1 : Math.round(value);
            case FLOAT32 -> Float.floatToIntBits((float) value) & 0xFFFF_FFFFL;
            case FLOAT64 -> Double.doubleToLongBits(value);
        };
        int[] words = new int[count];
        for (int i = 0; i < count; i++) {
            words[i] = (int) (bits >>> (16 * (count - 1 - i))) & 0xFFFF;
        }
        boolean reverseWords = order == WordOrder.CDAB || order == WordOrder.DCBA;
        boolean swapBytes = order == WordOrder.BADC || order == WordOrder.DCBA;
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int w = words[reverseWords ? count - 1 - i : i];
            out[i] = swapBytes ? ((w & 0xFF) << 8) | (w >>> 8) : w;
        }
        return out;
    }
}
