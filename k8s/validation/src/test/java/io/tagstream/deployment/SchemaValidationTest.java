package io.tagstream.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every object that kustomize renders from k8s/base and the overlays passes a schema check:
 * built-in kinds against the Kubernetes API schemas (npm kubernetes-models) and, for unknown fields,
 * fabric8's typed model of the same API; Strimzi resources against the CRD schemas of Strimzi 1.2
 * (generated here from io.strimzi:api), with unknown fields rejected.
 */
class SchemaValidationTest {

    static final List<String> TREES = List.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod");

    static Path nodeDir;
    static Path schemas;

    @BeforeAll
    static void install() throws IOException {
        Path npm = Repo.onPath("npm");
        Path node = Repo.onPath("node");
        if (npm == null || node == null) {
            fail("node and npm are needed to validate with kubernetes-models (npm registry): install Node.js 20+");
        }
        nodeDir = Files.createDirectories(Repo.target().resolve("node"));
        Path source = Repo.path("k8s/validation/src/test/node");
        Files.copy(source.resolve("validate.mjs"), nodeDir.resolve("validate.mjs"), StandardCopyOption.REPLACE_EXISTING);
        boolean fresh = !Files.isRegularFile(nodeDir.resolve("package.json"))
                || !Files.readString(nodeDir.resolve("package.json")).equals(Files.readString(source.resolve("package.json")));
        if (fresh || !Files.isDirectory(nodeDir.resolve("node_modules/kubernetes-models"))
                || !Files.isDirectory(nodeDir.resolve("node_modules/ajv"))) {
            Files.copy(source.resolve("package.json"), nodeDir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
            Repo.Result result = Repo.run(nodeDir, 600, List.of(npm.toString(), "install", "--no-package-lock",
                    "--no-audit", "--no-fund", "--loglevel=error"));
            assertThat(result.exitCode()).as("npm install kubernetes-models ajv (needs the npm registry): %s", result.output()).isZero();
        }
        schemas = StrimziSchemas.schemaDirectory();
    }

    record Checked(String source, String kind, String name, String validator, List<String> errors) {
    }

    static List<Checked> validate(ArrayNode entries, String name) throws IOException {
        Path file = Repo.target().resolve(name);
        Files.writeString(file, Repo.JSON.writeValueAsString(entries));
        Repo.Result result = Repo.run(nodeDir, 300, List.of("node", "validate.mjs", file.toString(), schemas.toString()));
        List<Checked> checked = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode r = Repo.JSON.readTree(line);
            List<String> errors = new ArrayList<>();
            r.path("errors").forEach(e -> errors.add(e.asText()));
            checked.add(new Checked(r.path("source").asText(), r.path("kind").asText(), r.path("name").asText(),
                    r.path("validator").asText(null), errors));
        }
        assertThat(checked).as("validate.mjs output: %s", result.output()).hasSize(entries.size());
        return checked;
    }

    @Test
    void everyRenderedObjectPassesItsSchema() throws IOException {
        ArrayNode entries = Repo.JSON.createArrayNode();
        for (String tree : TREES) {
            for (JsonNode object : Kustomize.render(tree)) {
                ObjectNode entry = entries.addObject();
                entry.put("source", tree);
                entry.set("object", apiServerView(object));
            }
        }
        List<Checked> checked = validate(entries, "rendered-objects.json");
        List<String> problems = new ArrayList<>();
        Map<String, Integer> byValidator = new LinkedHashMap<>();
        for (Checked c : checked) {
            byValidator.merge(c.kind() + " by " + c.validator(), 1, Integer::sum);
            for (String error : c.errors()) {
                problems.add(c.source() + " " + c.kind() + " " + c.name() + ": " + error);
            }
            if (StrimziSchemas.KINDS.containsKey(c.kind())) {
                assertThat(c.validator()).as("%s %s checked against its CRD", c.kind(), c.name()).isEqualTo("crd-schema");
            }
        }
        assertThat(problems).as("schema errors").isEmpty();
        assertThat(byValidator.keySet()).contains("Kafka by crd-schema", "KafkaNodePool by crd-schema",
                "KafkaConnect by crd-schema", "KafkaConnector by crd-schema", "KafkaTopic by crd-schema",
                "KafkaUser by crd-schema", "Deployment by kubernetes-models", "StatefulSet by kubernetes-models",
                "Job by kubernetes-models", "PodDisruptionBudget by kubernetes-models",
                "NetworkPolicy by kubernetes-models", "ConfigMap by kubernetes-models", "Service by kubernetes-models");
        System.out.println("validated: " + byValidator);
    }

    /**
     * kustomize wraps the base64 of file-sourced Secret data over several lines; the API server's decoder
     * ignores line breaks, so the check sees the data as the server does.
     */
    static JsonNode apiServerView(JsonNode object) {
        if (!"Secret".equals(object.path("kind").asText()) || !object.path("data").isObject()) {
            return object;
        }
        ObjectNode copy = object.deepCopy();
        ObjectNode data = (ObjectNode) copy.path("data");
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            data.put(key, data.path(key).asText().replaceAll("[\\r\\n]", ""));
        }
        return copy;
    }

    /** The checks bite: broken objects are reported, not waved through. */
    @Test
    void brokenObjectsAreRejected() throws IOException {
        ArrayNode entries = Repo.JSON.createArrayNode();
        ObjectNode topic = (ObjectNode) Repo.YAML.readTree("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: broken, labels: {strimzi.io/cluster: tagstream}}
                spec: {topicName: x, partitions: six, replicas: 1, retention: 7}
                """);
        ObjectNode connect = (ObjectNode) Repo.YAML.readTree("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaConnect
                metadata: {name: broken}
                spec: {replicas: 1, bootstrapServers: x:9092}
                """);
        ObjectNode deployment = (ObjectNode) Repo.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec: {containers: [{image: 5}]}
                """);
        ObjectNode unknownKind = (ObjectNode) Repo.YAML.readTree("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """);
        for (ObjectNode o : List.of(topic, connect, deployment, unknownKind)) {
            ObjectNode entry = entries.addObject();
            entry.put("source", "test");
            entry.set("object", o);
        }
        List<Checked> checked = validate(entries, "broken-objects.json");
        assertThat(checked.get(0).errors()).as("KafkaTopic").anyMatch(e -> e.contains("partitions"))
                .anyMatch(e -> e.contains("retention"));
        assertThat(checked.get(1).errors()).as("KafkaConnect without groupId and storage topics")
                .anyMatch(e -> e.contains("groupId"));
        assertThat(checked.get(2).errors()).as("Deployment").isNotEmpty();
        assertThat(checked.get(3).errors()).as("unknown kind").anyMatch(e -> e.contains("no schema"));
        assertThat(unknownFields(Repo.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec: {containers: [{name: c, image: i, readinesProbe: {}}]}
                """))).anyMatch(e -> e.contains("readinesProbe"));
    }

    /** kubernetes-models accepts unknown fields; fabric8's model of the same API finds them. */
    @Test
    void builtInObjectsHaveNoUnknownFields() {
        List<String> problems = new ArrayList<>();
        for (String tree : TREES) {
            for (JsonNode object : Kustomize.render(tree)) {
                if (!object.path("apiVersion").asText().contains("strimzi.io")) {
                    unknownFields(object).forEach(p -> problems.add(tree + " " + object.path("kind").asText() + " "
                            + object.path("metadata").path("name").asText() + ": unknown field " + p));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static final Map<String, String> FABRIC8 = Map.of(
            "v1/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap",
            "v1/Secret", "io.fabric8.kubernetes.api.model.Secret",
            "v1/Service", "io.fabric8.kubernetes.api.model.Service",
            "v1/Namespace", "io.fabric8.kubernetes.api.model.Namespace",
            "apps/v1/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment",
            "apps/v1/StatefulSet", "io.fabric8.kubernetes.api.model.apps.StatefulSet",
            "batch/v1/Job", "io.fabric8.kubernetes.api.model.batch.v1.Job",
            "policy/v1/PodDisruptionBudget", "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget",
            "networking.k8s.io/v1/NetworkPolicy", "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> unknownFields(JsonNode object) {
        String key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        String type = FABRIC8.get(key);
        if (type == null) {
            return List.of("no typed model for " + key + " (add it to SchemaValidationTest.FABRIC8)");
        }
        try {
            Object typed = MAPPER.treeToValue(object, Class.forName(type));
            List<String> found = new ArrayList<>();
            walk(typed, "", found);
            return found;
        } catch (Exception e) {
            return List.of("does not read as " + type + ": " + e.getMessage());
        }
    }

    private static void walk(Object value, String path, List<String> found) throws Exception {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), found);
            }
            return;
        }
        Class<?> type = value.getClass();
        if (!type.getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                    || !method.getName().startsWith("get") || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child = method.invoke(value);
            if (method.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    for (Object name : extra.keySet()) {
                        found.add(path + "." + name);
                    }
                }
                continue;
            }
            if (type.getName().equals("io.fabric8.kubernetes.api.model.Quantity")
                    || type.getName().equals("io.fabric8.kubernetes.api.model.IntOrString")) {
                continue;
            }
            String property = Character.toLowerCase(method.getName().charAt(3)) + method.getName().substring(4);
            walk(child, path + "." + property, found);
        }
    }
}
