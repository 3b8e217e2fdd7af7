package io.tagstream.connect.modbus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.tagstream.addressmap.DataType;
import io.tagstream.addressmap.WordOrder;

class RegisterDecoderTest {

    /** The four registers of 0x0102030405060708 in each word order (values written as a device sends them). */
    private static int[] words(WordOrder order, int... abcd) {
        int n = abcd.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int w = abcd[i];
            int swapped = ((w & 0xFF) << 8) | (w >>> 8);
            switch (order) {
                case ABCD -> out[i] = w;
                case CDAB -> out[n - 1 - i] = w;
                case BADC -> out[i] = swapped;
                case DCBA -> out[n - 1 - i] = swapped;
            }
        }
        return out;
    }

    @Test
    void sixteenBitSignedAndUnsigned() {
        int[] regs = {0xFFFE, 0x7FFF, 0x8000};
        assertThat(RegisterDecoder.decode(DataType.INT16, WordOrder.ABCD, regs, 0, null)).isEqualTo(-2);
        assertThat(RegisterDecoder.decode(DataType.UINT16, WordOrder.ABCD, regs, 0, null)).isEqualTo(65534);
        assertThat(RegisterDecoder.decode(DataType.INT16, WordOrder.ABCD, regs, 1, null)).isEqualTo(32767);
        assertThat(RegisterDecoder.decode(DataType.INT16, WordOrder.ABCD, regs, 2, null)).isEqualTo(-32768);
        // CDAB has one word to reorder: no change; BADC/DCBA swap the two bytes
        assertThat(RegisterDecoder.decode(DataType.UINT16, WordOrder.CDAB, new int[] {0x1234}, 0, null)).isEqualTo(0x1234);
        assertThat(RegisterDecoder.decode(DataType.UINT16, WordOrder.BADC, new int[] {0x3412}, 0, null)).isEqualTo(0x1234);
        assertThat(RegisterDecoder.decode(DataType.INT16, WordOrder.DCBA, new int[] {0xFEFF}, 0, null)).isEqualTo(-2);
    }

    @Test
    void thirtyTwoBitIntegersInEveryWordOrder() {
        for (WordOrder order : WordOrder.values()) {
            int[] positive = words(order, 0x0102, 0x0304);
            assertThat(RegisterDecoder.decode(DataType.INT32, order, positive, 0, null)).as(order.name()).isEqualTo(0x01020304);
            assertThat(RegisterDecoder.decode(DataType.UINT32, order, positive, 0, null)).as(order.name()).isEqualTo(0x01020304);
            int[] minusTwo = words(order, 0xFFFF, 0xFFFE);
            assertThat(RegisterDecoder.decode(DataType.INT32, order, minusTwo, 0, null)).as(order.name()).isEqualTo(-2);
            assertThat(RegisterDecoder.decode(DataType.UINT32, order, minusTwo, 0, null)).as(order.name()).isEqualTo(4294967294.0);
        }
        // the literal layouts, so the helper above is not testing itself
        assertThat(RegisterDecoder.decode(DataType.INT32, WordOrder.CDAB, new int[] {0x0304, 0x0102}, 0, null)).isEqualTo(0x01020304);
        assertThat(RegisterDecoder.decode(DataType.INT32, WordOrder.BADC, new int[] {0x0201, 0x0403}, 0, null)).isEqualTo(0x01020304);
        assertThat(RegisterDecoder.decode(DataType.INT32, WordOrder.DCBA, new int[] {0x0403, 0x0201}, 0, null)).isEqualTo(0x01020304);
    }

    @Test
    void sixtyFourBitIntegersInEveryWordOrder() {
        for (WordOrder order : WordOrder.values()) {
            int[] value = words(order, 0x0102, 0x0304, 0x0506, 0x0708);
            assertThat(RegisterDecoder.decode(DataType.INT64, order, value, 0, null)).as(order.name()).isEqualTo((double) 0x0102030405060708L);
            int[] minusThree = words(order, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFD);
            assertThat(RegisterDecoder.decode(DataType.INT64, order, minusThree, 0, null)).as(order.name()).isEqualTo(-3);
            // as unsigned the same bits are 2^64 - 3, which rounds to 2^64 in a double
            assertThat(RegisterDecoder.decode(DataType.UINT64, order, minusThree, 0, null)).as(order.name()).isEqualTo(18446744073709551616.0);
        }
        assertThat(RegisterDecoder.decode(DataType.INT64, WordOrder.DCBA, new int[] {0x0807, 0x0605, 0x0403, 0x0201}, 0, null))
                .isEqualTo((double) 0x0102030405060708L);
        assertThat(RegisterDecoder.decode(DataType.UINT64, WordOrder.ABCD, new int[] {0x8000, 0, 0, 0}, 0, null))
                .isEqualTo(9223372036854775808.0);
    }

    @Test
    void floatsInEveryWordOrder() {
        int bits32 = Float.floatToIntBits(-12.5f);
        long bits64 = Double.doubleToLongBits(1234.5678);
        for (WordOrder order : WordOrder.values()) {
            int[] f32 = words(order, bits32 >>> 16, bits32 & 0xFFFF);
            assertThat(RegisterDecoder.decode(DataType.FLOAT32, order, f32, 0, null)).as(order.name()).isEqualTo(-12.5);
            int[] f64 = words(order, (int) (bits64 >>> 48) & 0xFFFF, (int) (bits64 >>> 32) & 0xFFFF,
                    (int) (bits64 >>> 16) & 0xFFFF, (int) bits64 & 0xFFFF);
            assertThat(RegisterDecoder.decode(DataType.FLOAT64, order, f64, 0, null)).as(order.name()).isEqualTo(1234.5678);
        }
        // 0x41200000 = 10.0f, as a PLC with swapped words sends it
        assertThat(RegisterDecoder.decode(DataType.FLOAT32, WordOrder.CDAB, new int[] {0x0000, 0x4120}, 0, null)).isEqualTo(10.0);
    }

    @Test
    void nanAndInfinityDecodeButHaveNoEngineeringValue() {
        double nan = RegisterDecoder.decode(DataType.FLOAT32, WordOrder.ABCD, new int[] {0x7FC0, 0x0000}, 0, null);
        double inf = RegisterDecoder.decode(DataType.FLOAT32, WordOrder.ABCD, new int[] {0x7F80, 0x0000}, 0, null);
        double negInf = RegisterDecoder.decode(DataType.FLOAT64, WordOrder.ABCD, new int[] {0xFFF0, 0, 0, 0}, 0, null);
        assertThat(nan).isNaN();
        assertThat(inf).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(negInf).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(RegisterDecoder.engineering(nan, 1, 0)).isNull();
        assertThat(RegisterDecoder.engineering(inf, 0.1, 5)).isNull();
        assertThat(RegisterDecoder.engineering(negInf, 1, 0)).isNull();
    }

    @Test
    void bitsOfARegister() {
        int[] regs = {0b1000_0000_0000_1010};
        assertThat(RegisterDecoder.decode(DataType.BOOL, WordOrder.ABCD, regs, 0, 0)).isEqualTo(0);
        assertThat(RegisterDecoder.decode(DataType.BOOL, WordOrder.ABCD, regs, 0, 1)).isEqualTo(1);
        assertThat(RegisterDecoder.decode(DataType.BOOL, WordOrder.ABCD, regs, 0, 3)).isEqualTo(1);
        assertThat(RegisterDecoder.decode(DataType.BOOL, WordOrder.ABCD, regs, 0, 15)).isEqualTo(1);
        assertThat(RegisterDecoder.decode(DataType.BOOL, WordOrder.ABCD, regs, 0, 14)).isEqualTo(0);
        assertThat(RegisterDecoder.decode(DataType.BOOL, WordOrder.ABCD, new int[] {0}, 0, null)).isEqualTo(0);
        assertThat(RegisterDecoder.decode(DataType.BOOL, WordOrder.ABCD, new int[] {4}, 0, null)).isEqualTo(1);
        assertThat(RegisterDecoder.decodeBit(true)).isEqualTo(1);
        assertThat(RegisterDecoder.decodeBit(false)).isEqualTo(0);
    }

    @Test
    void valuesAtAnOffsetInsideAMergedResponse() {
        int[] regs = {0xAAAA, 0xFFFF, 0xFF9C, 0xBBBB};
        assertThat(RegisterDecoder.decode(DataType.INT32, WordOrder.ABCD, regs, 1, null)).isEqualTo(-100);
        assertThat(RegisterDecoder.decode(DataType.UINT16, WordOrder.ABCD, regs, 3, null)).isEqualTo(0xBBBB);
        assertThatThrownBy(() -> RegisterDecoder.decode(DataType.INT32, WordOrder.ABCD, regs, 3, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scaleAndOffset() {
        assertThat(RegisterDecoder.engineering(1234, 0.1, 0)).isCloseTo(123.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(RegisterDecoder.engineering(-50, 0.5, 10)).isEqualTo(-15.0);
        assertThat(RegisterDecoder.engineering(4000, 0.025, -20)).isEqualTo(80.0);
        assertThat(RegisterDecoder.engineering(1, 1, 0)).isEqualTo(1.0);
    }
}
