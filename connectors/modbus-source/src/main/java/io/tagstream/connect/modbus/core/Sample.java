package io.tagstream.connect.modbus.core;

import io.tagstream.addressmap.TagDefinition;

/**
 * One polled value of one tag: the engineering value and GOOD, or no value and BAD when the read failed
 * or the device sent a value that is not a number.
 */
public record Sample(TagDefinition tag, long tsMillis, Double value, boolean good) {

    public static Sample good(TagDefinition tag, long tsMillis, Double value) {
        return value == null ? bad(tag, tsMillis) : new Sample(tag, tsMillis, value, true);
    }

    public static Sample bad(TagDefinition tag, long tsMillis) {
        return new Sample(tag, tsMillis, null, false);
    }
}
