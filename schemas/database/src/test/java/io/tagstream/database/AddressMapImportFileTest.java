package io.tagstream.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import refuses a file it cannot use before it opens a database connection: the environment here
 * names no database, so reaching the database step would print a different error.
 */
class AddressMapImportFileTest {

    private static final String HEADER = "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo";

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome importFile(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AddressMapImport.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingFileIsNamedWithItsAbsolutePath(@TempDir Path dir) {
        Path missing = dir.resolve("plant/map.csv");
        Outcome outcome = importFile(missing.toString(), "--dry-run");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).isEqualTo("error: no such file: " + missing + "\nnothing was changed\n");
        assertThat(outcome.out()).isEmpty();

        Outcome relative = importFile("no-such-map-" + System.nanoTime() + ".csv");
        assertThat(relative.err()).startsWith("error: no such file: " + Path.of("").toAbsolutePath() + "/no-such-map-");
    }

    @Test
    void aDirectoryOrAnUnreadableFileIsRefusedPlainly(@TempDir Path dir) throws Exception {
        assertThat(importFile(dir.toString()).err())
                .isEqualTo("error: " + dir + " is a directory; give the address-map CSV file\nnothing was changed\n");

        Path locked = dir.resolve("locked.csv");
        Files.writeString(locked, HEADER + "\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as root: every file is readable");
        assertThat(importFile(locked.toString()).err()).startsWith("error: cannot read " + locked + ": permission denied");
    }

    @Test
    void anEmptyOrNonUtf8FileIsRefusedWithItsLineAndOffset(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.csv");
        Files.write(empty, new byte[0]);
        Outcome outcome = importFile(empty.toString());
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).isEqualTo("error: " + empty + ": 1 problem in the address map:\n"
                + "  line 1: the address map is empty: expected the header line " + HEADER + " and one row per tag\n"
                + "nothing was changed\n");

        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, (HEADER + "\nA1,L1,P1,T,modbus,tcp://127.0.0.1:502,1,40001,INT16,1,0,1000,\u00b0C,10,0\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        int offset = HEADER.length() + 1 + "A1,L1,P1,T,modbus,tcp://127.0.0.1:502,1,40001,INT16,1,0,1000,".length();
        outcome = importFile(latin1.toString());
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("error: " + latin1 + ": 1 problem in the address map:\n"
                + "  line 2: not UTF-8: byte 0xB0 at byte offset " + offset + " of the file (byte "
                + (offset - HEADER.length()) + " of line 2)").endsWith("nothing was changed\n");
    }
}
