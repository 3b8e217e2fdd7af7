package io.tagstream.connect.pgcopy;

import java.util.Arrays;
import java.util.List;

/**
 * Rows for one table and one column list, already encoded in PostgreSQL's binary COPY format (each
 * row: a 16-bit field count, then per field a 32-bit length, -1 for NULL, and the value's bytes).
 * Encoding when a record arrives keeps a batch a few bytes per value instead of a graph of objects
 * per row, and PostgreSQL reads binary values without parsing text. The buffer is reused from batch
 * to batch, so a full batch costs the collector nothing.
 *
 * <p>Rows are not deduplicated here: a batch that holds one key twice fails the straight COPY on the
 * unique index and is written through the upsert, which keeps the last version of each key.
 */
final class CopyRows {

    /** PGCOPY signature, flags (no OIDs), header extension length: written before the rows of every COPY. */
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** A field count of -1 ends the data. */
    static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

    private final List<String> columns;
    private byte[] bytes = new byte[64 * 1024];
    private int length;
    private int[] rowStarts = new int[1024];
    private int rows;
    private int rowStart = -1;

    CopyRows(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    List<String> columns() {
        return columns;
    }

    int size() {
        return rows;
    }

    boolean isEmpty() {
        return rows == 0;
    }

    /** Forgets every row, keeping the buffer for the next batch. */
    void clear() {
        length = 0;
        rows = 0;
        rowStart = -1;
    }

    /** Starts a row; its values follow, in column order, then {@link #endRow} (or {@link #abandonRow}). */
    void beginRow() {
        if (rowStart >= 0) {
            throw new IllegalStateException("row not ended");
        }
        rowStart = length;
        putShort(columns.size());
    }

    void endRow() {
        if (rows == rowStarts.length) {
            rowStarts = Arrays.copyOf(rowStarts, rows * 2);
        }
        rowStarts[rows++] = rowStart;
        rowStart = -1;
    }

    /** Drops the values written since {@link #beginRow}: a value could not be encoded. */
    void abandonRow() {
        if (rowStart >= 0) {
            length = rowStart;
            rowStart = -1;
        }
    }

    /** Byte offset where row {@code index} starts; {@code index == size()} gives the end of the data. */
    int offsetOf(int index) {
        return index == rows ? (rowStart >= 0 ? rowStart : length) : rowStarts[index];
    }

    byte[] buffer() {
        return bytes;
    }

    void putNull() {
        putInt(-1);
    }

    void putBoolean(boolean value) {
        putInt(1);
        ensure(1);
        bytes[length++] = (byte) (value ? 1 : 0);
    }

    void putInt2(short value) {
        putInt(2);
        putShort(value);
    }

    void putInt4(int value) {
        putInt(4);
        putInt(value);
    }

    void putInt8(long value) {
        putInt(8);
        putLong(value);
    }

    void putFloat4(float value) {
        putInt(4);
        putInt(Float.floatToRawIntBits(value));
    }

    void putFloat8(double value) {
        putInt(8);
        putLong(Double.doubleToRawLongBits(value));
    }

    /** A byte string with its length, optionally after a one-byte prefix (jsonb's format version). */
    void putBytes(byte[] value, int prefix) {
        int extra = prefix >= 0 ? 1 : 0;
        putInt(value.length + extra);
        ensure(value.length + extra);
        if (prefix >= 0) {
            bytes[length++] = (byte) prefix;
        }
        System.arraycopy(value, 0, bytes, length, value.length);
        length += value.length;
    }

    /**
     * Text as UTF-8. Tag names and units are ASCII almost always: those are copied char by char without
     * an intermediate array; anything else goes through the JDK's encoder.
     */
    void putText(CharSequence text, int prefix) {
        int n = text.length();
        int extra = prefix >= 0 ? 1 : 0;
        ensure(4 + extra + n);
        int lengthAt = length;
        length += 4;
        if (prefix >= 0) {
            bytes[length++] = (byte) prefix;
        }
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                length = lengthAt;
                putBytes(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), prefix);
                return;
            }
            bytes[length++] = (byte) c;
        }
        writeInt(lengthAt, n + extra);
    }

    private void putShort(int value) {
        ensure(2);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    private void putInt(int value) {
        ensure(4);
        writeInt(length, value);
        length += 4;
    }

    private void writeInt(int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private void putLong(long value) {
        ensure(8);
        writeInt(length, (int) (value >>> 32));
        writeInt(length + 4, (int) value);
        length += 8;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
