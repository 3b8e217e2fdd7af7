package io.tagstream.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Strimzi's CRDs, made at build time by Strimzi's own generator (io.strimzi:crd-generator) from its model
 * (io.strimzi:api), both from Maven Central, the same way Strimzi makes the CRDs it installs. Nothing
 * fetched is committed. Strimzi 1.2's classes need Java 21+, so the generator runs in a JVM of its own:
 * TAGSTREAM_JAVA21_HOME, else JAVA21_HOME, else the newest JDK 21+ under /usr/lib/jvm.
 */
final class StrimziSchemas {

    static final String MODEL = "io.strimzi.api.kafka.model.";
    static final Map<String, String> KINDS = Map.of(
            "Kafka", MODEL + "kafka.Kafka",
            "KafkaNodePool", MODEL + "nodepool.KafkaNodePool",
            "KafkaConnect", MODEL + "connect.KafkaConnect",
            "KafkaConnector", MODEL + "connector.KafkaConnector",
            "KafkaTopic", MODEL + "topic.KafkaTopic",
            "KafkaUser", MODEL + "user.KafkaUser");
    static final String API_VERSION = "v1";

    private StrimziSchemas() {
    }

    static Path java21() {
        for (String variable : List.of("TAGSTREAM_JAVA21_HOME", "JAVA21_HOME")) {
            String home = System.getenv(variable);
            if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "java"))) {
                return Path.of(home, "bin", "java");
            }
        }
        Path best = null;
        int bestVersion = 0;
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path java = dir.resolve("bin/java");
                    if (!Files.isExecutable(java) || Files.isSymbolicLink(dir)) {
                        continue;
                    }
                    int version = majorVersion(java);
                    if (version >= 21 && version > bestVersion) {
                        best = java;
                        bestVersion = version;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (best == null) {
            fail("Strimzi's CRD generator (io.strimzi 1.2 classes) needs Java 21 or newer and none was found: "
                    + "set TAGSTREAM_JAVA21_HOME to a JDK 21+ (the java-maven machines have Temurin under /usr/lib/jvm)");
        }
        return best;
    }

    private static int majorVersion(Path java) {
        Repo.Result result = Repo.run(Path.of("."), 30, List.of(java.toString(), "-version"));
        Matcher m = Pattern.compile("version \"(\\d+)").matcher(result.output());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Generates (once per build) and converts the CRDs; returns the directory of JSON schemas. */
    static synchronized Path schemaDirectory() {
        Path target = Repo.target();
        Path classpathFile = target.resolve("strimzi-generator.classpath");
        assertThat(classpathFile).as("written by maven-dependency-plugin (generate-test-resources)").exists();
        Path crds = target.resolve("strimzi-crds");
        Path schemas = target.resolve("strimzi-schemas");
        try {
            String classpath = Files.readString(classpathFile).trim();
            Path marker = crds.resolve(".classpath");
            if (!Files.isRegularFile(marker) || !Files.readString(marker).equals(classpath)) {
                Kustomize.deleteTree(crds);
                Files.createDirectories(crds);
                List<String> command = new ArrayList<>(List.of(java21().toString(), "-Xmx256m", "-cp", classpath,
                        "io.strimzi.crdgenerator.CrdGenerator", "--yaml", "--target-kube", "1.25+",
                        "--crd-api-version", "v1", "--api-versions", API_VERSION, "--storage-version", API_VERSION));
                KINDS.forEach((kind, type) -> command.add(type + "=" + crds.resolve(kind + ".yaml")));
                Repo.Result result = Repo.run(target, 300, command);
                assertThat(result.exitCode()).as("Strimzi CrdGenerator: %s", result.output()).isZero();
                Files.writeString(marker, classpath);
            }
            Kustomize.deleteTree(schemas);
            Files.createDirectories(schemas);
            for (String kind : KINDS.keySet()) {
                JsonNode crd = Repo.yamlDocuments(Repo.read(crds.resolve(kind + ".yaml"))).get(0);
                String group = crd.path("spec").path("group").asText();
                boolean found = false;
                for (JsonNode version : crd.path("spec").path("versions")) {
                    JsonNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
                    assertThat(schema.isObject()).as("%s %s has an openAPIV3Schema", kind, version.path("name")).isTrue();
                    strict(schema);
                    Files.writeString(schemas.resolve(group + "_" + version.path("name").asText() + "_" + kind + ".json"),
                            Repo.JSON.writeValueAsString(schema));
                    found |= API_VERSION.equals(version.path("name").asText());
                }
                assertThat(found).as("%s CRD serves %s", kind, API_VERSION).isTrue();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return schemas;
    }

    /**
     * Unknown fields are errors, as with kubectl's default strict field validation: every object schema
     * that lists its properties and does not preserve unknown fields gets additionalProperties: false.
     */
    static void strict(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if ("object".equals(object.path("type").asText()) && object.has("properties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                strict(it.next());
            }
        } else if (node.isArray()) {
            node.forEach(StrimziSchemas::strict);
        }
    }
}
