package io.tagstream.addressmap;

/** The four Modbus data tables, with the Modicon address prefix and the read function of each. */
public enum RegisterKind {
    COIL(0, 1),
    DISCRETE_INPUT(1, 2),
    INPUT_REGISTER(3, 4),
    HOLDING_REGISTER(4, 3);

    private final int modiconPrefix;
    private final int readFunction;

    RegisterKind(int modiconPrefix, int readFunction) {
        this.modiconPrefix = modiconPrefix;
        this.readFunction = readFunction;
    }

    /** The leading digit of a Modicon address (4xxxx = holding register). */
    public int modiconPrefix() {
        return modiconPrefix;
    }

    /** The Modbus function code that reads this table. */
    public int readFunction() {
        return readFunction;
    }

    /** Coils and discrete inputs hold single bits; registers hold 16-bit words. */
    public boolean isBitTable() {
        return this == COIL || this == DISCRETE_INPUT;
    }

    static RegisterKind ofModiconPrefix(int digit) {
        for (RegisterKind kind : values()) {
            if (kind.modiconPrefix == digit) {
                return kind;
            }
        }
        return null;
    }
}
