package io.tagstream.deadband;

import org.apache.avro.io.BinaryDecoder;

import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.streams.common.ReadingCodec;

/**
 * What the deadband remembers per tag: the last sample it sent and the newest sample it suppressed since
 * (held, sent before a jump when configured). Immutable; serialized for the state store.
 *
 * @param lastSent time, value and quality of the last sample that passed; never null
 * @param held     the newest suppressed sample newer than {@code lastSent}, or null
 */
public record DeadbandState(SentSample lastSent, Reading held) {

    private static final byte FORMAT_VERSION = 1;

    public DeadbandState {
        if (lastSent == null) {
            throw new IllegalArgumentException("a deadband state has a last sent sample");
        }
    }

    /** Time of the newest sample taken into account; older or equal samples are out of order. */
    public long newestTs() {
        return held != null ? held.getTs().toEpochMilli() : lastSent.ts();
    }

    /**
     * Version byte, the fingerprint of the Reading schema the held sample is written with, the last sent
     * sample (ts, quality, value), a flag for the held sample and the held sample in Avro binary. A
     * fingerprint that is not this build's means the schema changed: such a state is rejected, not misread.
     */
    public byte[] toBytes() {
        ReadingCodec.Output out = ReadingCodec.output(held == null ? 32 : 128)
                .writeByte(FORMAT_VERSION).writeLong(ReadingCodec.SCHEMA_FINGERPRINT)
                .writeLong(lastSent.ts()).writeByte(lastSent.quality().ordinal());
        if (lastSent.value() == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1).writeLong(Double.doubleToRawLongBits(lastSent.value()));
        }
        out.writeByte(held == null ? 0 : 1);
        if (held != null) {
            out.write(held);
        }
        return out.bytes();
    }

    public static DeadbandState fromBytes(byte[] bytes) {
        if (bytes.length < 20 || bytes[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown deadband state format " + (bytes.length == 0 ? "(empty)" : bytes[0]));
        }
        if (ReadingCodec.readLong(bytes, 1) != ReadingCodec.SCHEMA_FINGERPRINT) {
            throw new IllegalArgumentException("deadband state written with another Reading schema");
        }
        long ts = ReadingCodec.readLong(bytes, 9);
        Quality quality = Quality.values()[bytes[17]];
        int position = 18;
        Double value = null;
        if (bytes[position++] == 1) {
            value = Double.longBitsToDouble(ReadingCodec.readLong(bytes, position));
            position += 8;
        }
        Reading held = null;
        if (bytes[position++] == 1) {
            BinaryDecoder decoder = ReadingCodec.decoder(bytes, position, bytes.length - position);
            held = ReadingCodec.read(decoder);
        }
        return new DeadbandState(new SentSample(ts, value, quality), held);
    }
}
