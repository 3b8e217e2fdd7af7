package io.tagstream.connect.pgcopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

class CopyBatchTest {

    private static final List<String> COLUMNS = List.of("site", "device", "tag", "ts", "value", "quality");
    private static final List<String> KEY = List.of("site", "device", "tag", "ts");

    @Test
    void encodesCsvWithNullsQuotesAndUtcTimestamps() {
        CopyBatch<String> batch = new CopyBatch<>(COLUMNS, KEY);
        batch.add(Arrays.asList("A1", "P \"1\"", "T,1", new Date(1_772_359_200_000L), null, "BAD"), "r1");
        batch.add(Arrays.asList("A1", "P1", "", new Date(0), Double.NaN, "GOOD"), "r2");
        batch.add(Arrays.asList("A1", "P1", "T", new Date(0), Double.NEGATIVE_INFINITY, "GOOD"), "r3");
        assertThat(batch.toCsv()).isEqualTo(
                "\"A1\",\"P \"\"1\"\"\",\"T,1\",2026-03-01T10:00:00Z,,\"BAD\"\n"
                        + "\"A1\",\"P1\",\"\",1970-01-01T00:00:00Z,NaN,\"GOOD\"\n"
                        + "\"A1\",\"P1\",\"T\",1970-01-01T00:00:00Z,-Infinity,\"GOOD\"\n");
    }

    @Test
    void theLastVersionOfAKeyWins() {
        CopyBatch<String> batch = new CopyBatch<>(COLUMNS, KEY);
        batch.add(Arrays.asList("A1", "P1", "T", new Date(1000), 1.0, "GOOD"), "first");
        batch.add(Arrays.asList("A1", "P1", "T", new Date(2000), 2.0, "GOOD"), "other");
        batch.add(Arrays.asList("A1", "P1", "T", new Date(1000), 3.0, "UNCERTAIN"), "redelivered");
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.rows()).extracting(CopyBatch.Row::source).containsExactly("other", "redelivered");
        assertThat(batch.toCsv()).contains("3.0,\"UNCERTAIN\"").doesNotContain("1.0,");
    }

    @Test
    void refusesRowsItCannotWrite() {
        assertThatThrownBy(() -> new CopyBatch<String>(List.of("site"), KEY)).hasMessageContaining("key column device");
        CopyBatch<String> batch = new CopyBatch<>(COLUMNS, KEY);
        assertThatThrownBy(() -> batch.add(Arrays.asList("A1", null, "T", new Date(0), 1.0, "GOOD"), "r"))
                .hasMessageContaining("key column device is null");
        batch.add(Arrays.asList("A1", "P1", "T", new Date(0), List.of(1), "GOOD"), "nested");
        assertThatThrownBy(batch::toCsv).hasMessageContaining("cannot write a");
    }
}
