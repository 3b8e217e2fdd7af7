package io.tagstream.addressmap;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Strict UTF-8 decoding of an address-map file. A lenient reader would turn a Latin-1 or Windows-1252
 * byte into U+FFFD and the map would silently carry a mangled tag or unit; here the first bad byte is
 * reported with its line and offset so it can be found in an editor or with {@code od -c}.
 */
final class Utf8Text {

    private Utf8Text() {
    }

    /**
     * @throws AddressMapException naming the line, the byte offset in the file (0-based), the byte's
     *                             position in its line (1-based) and the bad bytes
     */
    static String decode(byte[] bytes) throws AddressMapException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw badByte(bytes, in.position(), result.length());
        }
        if (!result.isUnderflow()) {
            // cannot happen: UTF-8 never yields more chars than bytes
            try {
                result.throwException();
            } catch (CharacterCodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.flip().toString();
    }

    private static AddressMapException badByte(byte[] bytes, int offset, int length) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String hex = HexFormat.ofDelimiter(" ").withPrefix("0x").withUpperCase()
                .formatHex(bytes, offset, Math.min(bytes.length, offset + Math.max(1, length)));
        return new AddressMapException(List.of(new AddressMapException.Problem(line, null, null,
                "not UTF-8: byte " + hex + " at byte offset " + offset + " of the file (byte " + (offset - lineStart + 1)
                        + " of line " + line + "); save the file as UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 old.csv > new.csv")));
    }
}
