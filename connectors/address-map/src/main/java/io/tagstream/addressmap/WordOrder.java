package io.tagstream.addressmap;

/**
 * Order of the bytes of a multi-register value, named after a 32-bit value whose big-endian bytes are
 * A B C D. ABCD is Modbus's own big-endian order; CDAB swaps the 16-bit words (common on PLCs); BADC
 * swaps the bytes inside each word; DCBA is fully little-endian. For 64-bit values the same rule
 * applies to all four words.
 */
public enum WordOrder {
    ABCD,
    CDAB,
    BADC,
    DCBA
}
