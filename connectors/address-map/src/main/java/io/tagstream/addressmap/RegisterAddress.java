package io.tagstream.addressmap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A location in a device: table, 0-based protocol address and, for BOOL tags stored in a register, the
 * bit (0 = least significant).
 *
 * <p>Accepted forms: Modicon 5- or 6-digit addresses, 1-based ({@code 40001} and {@code 400001} are
 * holding register 0, {@code 30001} input register 0, {@code 10001} discrete input 0, {@code 00001}
 * coil 0), optionally with a bit ({@code 40001.3}); or an explicit table with a 0-based address:
 * {@code hr:0}, {@code ir:0}, {@code di:0}, {@code coil:0}, optionally with a bit ({@code hr:0.3}).
 */
public record RegisterAddress(RegisterKind kind, int offset, Integer bit) {

    private static final Pattern MODICON = Pattern.compile("([0-4])(\\d{4,5})(?:\\.(\\d{1,2}))?");
    private static final Pattern EXPLICIT = Pattern.compile("(hr|ir|di|coil|co):(\\d{1,5})(?:\\.(\\d{1,2}))?",
            Pattern.CASE_INSENSITIVE);

    public RegisterAddress {
        if (kind == null) {
            throw new IllegalArgumentException("no register table");
        }
        if (offset < 0 || offset > 65535) {
            throw new IllegalArgumentException("address " + offset + " is outside the 0..65535 protocol range");
        }
        if (bit != null) {
            if (kind.isBitTable()) {
                throw new IllegalArgumentException("a bit can only be selected in a register, not in a " + kind);
            }
            if (bit < 0 || bit > 15) {
                throw new IllegalArgumentException("bit " + bit + " is outside 0..15");
            }
        }
    }

    public static RegisterAddress parse(String text) {
        String trimmed = text.trim();
        Matcher modicon = MODICON.matcher(trimmed);
        if (modicon.matches()) {
            RegisterKind kind = RegisterKind.ofModiconPrefix(Integer.parseInt(modicon.group(1)));
            if (kind == null) {
                throw new IllegalArgumentException("Modicon addresses start with 0, 1, 3 or 4");
            }
            int oneBased = Integer.parseInt(modicon.group(2));
            if (oneBased == 0) {
                throw new IllegalArgumentException("Modicon addresses are 1-based; " + trimmed + " is not an address");
            }
            return new RegisterAddress(kind, oneBased - 1, bit(modicon.group(3)));
        }
        Matcher explicit = EXPLICIT.matcher(trimmed);
        if (explicit.matches()) {
            RegisterKind kind = switch (explicit.group(1).toLowerCase(java.util.Locale.ROOT)) {
                case "hr" -> RegisterKind.HOLDING_REGISTER;
                case "ir" -> RegisterKind.INPUT_REGISTER;
                case "di" -> RegisterKind.DISCRETE_INPUT;
                default -> RegisterKind.COIL;
            };
            return new RegisterAddress(kind, Integer.parseInt(explicit.group(2)), bit(explicit.group(3)));
        }
        throw new IllegalArgumentException("expected a Modicon address such as 40001 or 40001.3, or hr:N, ir:N, di:N, coil:N");
    }

    private static Integer bit(String text) {
        return text == null ? null : Integer.parseInt(text);
    }

    /** Number of table entries (registers or bits) a value of this type occupies here. */
    public int span(DataType type) {
        return kind.isBitTable() || bit != null ? 1 : type.registers();
    }

    /** Last protocol address occupied by a value of this type. */
    public int lastOffset(DataType type) {
        return offset + span(type) - 1;
    }

    /** Modicon-style text for messages, e.g. 40001.3 for holding register 0 bit 3. */
    @Override
    public String toString() {
        String base = String.format("%d%04d", kind.modiconPrefix(), offset + 1);
        if (offset + 1 > 9999) {
            base = String.format("%d%05d", kind.modiconPrefix(), offset + 1);
        }
        return bit == null ? base : base + "." + bit;
    }
}
