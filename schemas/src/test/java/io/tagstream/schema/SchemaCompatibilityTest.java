package io.tagstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every current schema must read data written with every released version of it (BACKWARD), so a
 * consumer upgraded first never chokes on old records still on the topics.
 */
class SchemaCompatibilityTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("released");

    static Stream<Path> releasedSchemas() throws IOException {
        try (Stream<Path> files = Files.walk(RELEASED)) {
            return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemas")
    void currentSchemaReadsEveryReleasedVersion(Path released) throws IOException {
        Path current = CURRENT.resolve(released.getFileName());
        assertThat(current).as("released schema %s was removed from %s", released, CURRENT).exists();
        Schema writer = parse(released);
        Schema reader = parse(current);
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as("%s cannot read data written with %s: %s", current, released, result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void everyCurrentSchemaHasBeenReleased() throws IOException {
        List<String> released;
        try (Stream<Path> files = releasedSchemas()) {
            released = files.map(p -> p.getFileName().toString()).distinct().toList();
        }
        try (Stream<Path> files = Files.list(CURRENT)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".avsc")))
                    .allSatisfy(name -> assertThat(released).as("%s has no released version under %s", name, RELEASED)
                            .contains(name));
        }
    }

    @Test
    void generatedClassesMatchTheSchemaFiles() throws IOException {
        assertThat(withoutJavaStringHints(Reading.getClassSchema())).isEqualTo(parse(CURRENT.resolve("Reading.avsc")));
        assertThat(withoutJavaStringHints(Aggregate.getClassSchema())).isEqualTo(parse(CURRENT.resolve("Aggregate.avsc")));
        assertThat(withoutJavaStringHints(AlertEvent.getClassSchema())).isEqualTo(parse(CURRENT.resolve("AlertEvent.avsc")));
    }

    /** The generator marks strings as java.lang.String for the Java classes; the contract is the .avsc. */
    private static Schema withoutJavaStringHints(Schema generated) {
        return new Schema.Parser().parse(generated.toString().replace(",\"avro.java.string\":\"String\"", ""));
    }

    /** The check itself must catch the classic mistakes, or the tests above prove nothing. */
    @Test
    void checkRejectsBreakingChanges() throws IOException {
        Schema released = parse(CURRENT.resolve("Reading.avsc"));
        String json = Files.readString(CURRENT.resolve("Reading.avsc"));

        Schema requiredFieldAdded = new Schema.Parser().parse(json.replace(
                "{\"name\": \"source\", \"type\": \"string\"",
                "{\"name\": \"plant_area\", \"type\": \"string\"}, {\"name\": \"source\", \"type\": \"string\""));
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(requiredFieldAdded, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);

        Schema typeChanged = new Schema.Parser().parse(json.replace(
                "{\"name\": \"value\", \"type\": [\"null\", \"double\"]", "{\"name\": \"value\", \"type\": [\"null\", \"string\"]"));
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(typeChanged, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);

        Schema optionalFieldAdded = new Schema.Parser().parse(json.replace(
                "{\"name\": \"source\", \"type\": \"string\"",
                "{\"name\": \"plant_area\", \"type\": [\"null\", \"string\"], \"default\": null}, {\"name\": \"source\", \"type\": \"string\""));
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(optionalFieldAdded, released).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(file.toFile());
    }
}
