package io.tagstream.addressmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Empty maps and bytes that are not UTF-8: one clear problem each, never a lenient guess. */
class AddressMapEncodingTest {

    private static final String HEADER = "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo";
    private static final String ROW = "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:502,1,40001,FLOAT32,1,0,1000,bar,10,0";

    private static AddressMapException.Problem onlyProblem(ThrowingParse parse) {
        try {
            parse.run();
        } catch (AddressMapException e) {
            assertThat(e.problems()).hasSize(1);
            return e.problems().get(0);
        }
        throw new AssertionError("expected the map to be refused");
    }

    @FunctionalInterface
    private interface ThrowingParse {
        void run() throws AddressMapException;
    }

    @Test
    void anEmptyMapSaysSoInsteadOfListingEveryMissingColumn() {
        for (String empty : new String[] {"", "\n\n", "  \r\n", "\uFEFF", "# only a comment\n"}) {
            AddressMapException.Problem problem = onlyProblem(() -> AddressMap.parse(empty));
            assertThat(problem.line()).isEqualTo(1);
            assertThat(problem.message()).startsWith("the address map is empty: expected the header line site,line,device,tag");
        }
        assertThat(onlyProblem(() -> AddressMap.parse(new byte[0])).message()).startsWith("the address map is empty");
        assertThat(onlyProblem(() -> AddressMap.parse(HEADER + "\n")).message()).isEqualTo("the address map has no tags");
    }

    @Test
    void theFirstByteThatIsNotUtf8IsReportedWithLineAndOffset() {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes((HEADER + "\n" + ROW + "\n").getBytes(StandardCharsets.UTF_8));
        int lineStart = csv.size();
        // "Température" as Windows-1252 wrote it: é is the single byte 0xE9
        csv.writeBytes("A1,L1,PUMP01,TEMP,modbus,tcp://127.0.0.1:502,1,40021,INT16,1,0,1000,Temp".getBytes(StandardCharsets.UTF_8));
        int badOffset = csv.size();
        csv.write(0xE9);
        csv.writeBytes("rature,120,-20\n".getBytes(StandardCharsets.UTF_8));
        csv.write(0xFF); // a second bad byte later on: only the first is reported

        AddressMapException.Problem problem = onlyProblem(() -> AddressMap.parse(csv.toByteArray()));
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.toString()).isEqualTo("line 3: not UTF-8: byte 0xE9 at byte offset " + badOffset
                + " of the file (byte " + (badOffset - lineStart + 1) + " of line 3); save the file as UTF-8, "
                + "e.g. iconv -f WINDOWS-1252 -t UTF-8 old.csv > new.csv");
    }

    @Test
    void aTruncatedMultiByteSequenceIsBadToo() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        byte[] csv = new byte[] {'s', euro[0], euro[1], ',', 'x'};
        AddressMapException.Problem problem = onlyProblem(() -> AddressMap.parse(csv));
        assertThat(problem.line()).isEqualTo(1);
        assertThat(problem.message()).startsWith("not UTF-8: byte 0xE2 0x82 at byte offset 1 of the file (byte 2 of line 1)");
    }

    @Test
    void utf8WithAByteOrderMarkAndNonAsciiUnitsIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("map.csv");
        Files.write(file, ("\uFEFF" + HEADER + "\n" + ROW.replace(",bar,", ",°C,") + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(AddressMap.read(file).tags().get(0).unit()).isEqualTo("°C");

        Files.write(file, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> AddressMap.read(file)).isInstanceOf(AddressMapException.class)
                .hasMessageContaining("line 1: not UTF-8: byte 0xC3 at byte offset 0 of the file (byte 1 of line 1)");
    }
}
