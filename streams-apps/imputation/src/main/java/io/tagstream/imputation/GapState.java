package io.tagstream.imputation;

import io.tagstream.schema.Reading;
import io.tagstream.streams.common.ReadingCodec;

/**
 * What gap filling remembers per tag: the newest real sample forwarded. Immutable; serialized for the
 * state store.
 */
public record GapState(Reading last) {

    private static final byte FORMAT_VERSION = 1;

    public GapState {
        if (last == null) {
            throw new IllegalArgumentException("a gap state has a last sample");
        }
    }

    public long lastTs() {
        return last.getTs().toEpochMilli();
    }

    /** Version byte, the Reading schema fingerprint (another schema's state is rejected), the sample in Avro binary. */
    public byte[] toBytes() {
        return ReadingCodec.output(96).writeByte(FORMAT_VERSION).writeLong(ReadingCodec.SCHEMA_FINGERPRINT).write(last)
                .bytes();
    }

    public static GapState fromBytes(byte[] bytes) {
        if (bytes.length < 9 || bytes[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown gap state format " + (bytes.length == 0 ? "(empty)" : bytes[0]));
        }
        if (ReadingCodec.readLong(bytes, 1) != ReadingCodec.SCHEMA_FINGERPRINT) {
            throw new IllegalArgumentException("gap state written with another Reading schema");
        }
        return new GapState(ReadingCodec.read(ReadingCodec.decoder(bytes, 9, bytes.length - 9)));
    }
}
