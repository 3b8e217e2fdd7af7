package io.tagstream.addressmap;

/** How a tag's raw value is laid out in the device: width in 16-bit registers and signedness. */
public enum DataType {
    /** A coil, a discrete input, or one bit of a register. */
    BOOL(1),
    INT16(1),
    UINT16(1),
    INT32(2),
    UINT32(2),
    INT64(4),
    UINT64(4),
    FLOAT32(2),
    FLOAT64(4);

    private final int registers;

    DataType(int registers) {
        this.registers = registers;
    }

    /** Number of 16-bit registers the value occupies (1 for BOOL, which uses a bit). */
    public int registers() {
        return registers;
    }
}
