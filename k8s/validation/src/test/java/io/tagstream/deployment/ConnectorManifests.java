package io.tagstream.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * KafkaConnector resources derived from connectors/config, the one source of every connector's
 * configuration: {{placeholders}} filled in for Kubernetes (like io.tagstream.stack.ConnectorConfigs does
 * for the local stack), connector.class and tasks.max moved to the resource's spec. The committed files
 * k8s/base/connect/connectors.yaml (platform connectors, default COPY sinks) and
 * k8s/overlays/dev/demo-connectors.yaml (demo sources, which need the simulators) must equal this
 * rendering; regenerate them with
 * {@code mvn -o -pl k8s/validation test -Dtest=ConnectorManifestsTest -Dtagstream.k8s.write=true}.
 */
final class ConnectorManifests {

    static final String BASE_FILE = "k8s/base/connect/connectors.yaml";
    static final String DEMO_FILE = "k8s/overlays/dev/demo-connectors.yaml";
    static final String CONNECT_CLUSTER = "tagstream-connect";
    /** The sink implementation Kubernetes runs (connectors/config/sinks/<implementation>). */
    static final String SINK_IMPLEMENTATION = "copy";
    /** Connectors that read the demo simulators: dev overlay only. */
    static final List<String> DEMO = List.of("modbus-demo", "kma-asos-demo");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9.]+)}}");
    private static final String DEMO_MODBUS_CONNECTION = "tcp://127.0.0.1:15020";

    private ConnectorManifests() {
    }

    /** Placeholder values inside the cluster (services of k8s/base, mounts of connect.yaml). */
    static Map<String, String> placeholders(Path repo) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kafka.bootstrap", "tagstream-kafka-bootstrap:9092");
        values.put("registry.url", "http://registry:8080");
        values.put("registry.api.url", "http://registry:8080/apis/registry/v2");
        values.put("registry.ccompat.url", "http://registry:8080/apis/ccompat/v7");
        values.put("postgres.host", "timescaledb");
        values.put("postgres.port", "5432");
        values.put("postgres.database", "tagstream");
        values.put("home", "/mnt/tagstream/home");
        values.put("database.secrets.file", "/mnt/tagstream/db/database.properties");
        values.put("repo", "/mnt/tagstream");
        // the simulator runs as the Service modbus-simulator of the dev overlay
        String csv = Repo.read(repo.resolve("connectors/config/address-map.csv"))
                .replace(DEMO_MODBUS_CONNECTION, "tcp://modbus-simulator:15020");
        try {
            String quoted = Repo.JSON.writeValueAsString(csv);
            values.put("demo.address.map", quoted.substring(1, quoted.length() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    static List<Path> sourceFiles(Path repo) {
        List<Path> files = new ArrayList<>(jsonFiles(repo.resolve("connectors/config")));
        files.addAll(jsonFiles(repo.resolve("connectors/config/sinks").resolve(SINK_IMPLEMENTATION)));
        return files;
    }

    private static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String render(String template, Map<String, String> values, String source) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new AssertionError(source + ": unknown placeholder {{" + matcher.group(1)
                        + "}}; Kubernetes knows " + values.keySet() + " (add it to ConnectorManifests)");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The KafkaConnector resource for one connectors/config file. */
    static ObjectNode kafkaConnector(Path file, Map<String, String> values) {
        JsonNode root;
        try {
            root = Repo.JSON.readTree(render(Repo.read(file), values, file.toString()));
        } catch (IOException e) {
            throw new AssertionError(file + ": not JSON after rendering: " + e.getMessage(), e);
        }
        String name = root.path("name").asText("");
        JsonNode config = root.path("config");
        if (name.isBlank() || !config.isObject()) {
            throw new AssertionError(file + ": expected {\"name\": ..., \"config\": {...}}");
        }
        ObjectNode resource = Repo.JSON.createObjectNode();
        resource.put("apiVersion", "kafka.strimzi.io/v1");
        resource.put("kind", "KafkaConnector");
        ObjectNode metadata = resource.putObject("metadata");
        metadata.put("name", name);
        ObjectNode labels = metadata.putObject("labels");
        labels.put("strimzi.io/cluster", CONNECT_CLUSTER);
        labels.put("tagstream.io/connector-source", "connectors/config/"
                + file.getParent().getFileName().toString().replace("config", "") + file.getFileName());
        ObjectNode spec = resource.putObject("spec");
        spec.put("class", config.path("connector.class").asText());
        spec.put("tasksMax", Integer.parseInt(config.path("tasks.max").asText("1")));
        spec.putObject("autoRestart").put("enabled", true);
        ObjectNode specConfig = spec.putObject("config");
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().equals("connector.class") && !entry.getKey().equals("tasks.max")) {
                specConfig.set(entry.getKey(), entry.getValue());
            }
        }
        return resource;
    }

    /** Expected resources: [0] the base's, [1] the dev overlay's demo connectors. */
    static List<List<ObjectNode>> expected(Path repo) {
        Map<String, String> values = placeholders(repo);
        List<ObjectNode> base = new ArrayList<>();
        List<ObjectNode> demo = new ArrayList<>();
        for (Path file : sourceFiles(repo)) {
            ObjectNode resource = kafkaConnector(file, values);
            (DEMO.contains(resource.path("metadata").path("name").asText()) ? demo : base).add(resource);
        }
        return List.of(base, demo);
    }

    static String yaml(List<ObjectNode> resources, String header) {
        StringBuilder out = new StringBuilder(header);
        for (ObjectNode resource : resources) {
            try {
                out.append("---\n").append(Repo.YAML.writeValueAsString(resource));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    static final String HEADER = """
            # GENERATED from connectors/config by k8s/validation (ConnectorManifests); do not edit by hand.
            # Regenerate: mvn -o -pl k8s/validation test -Dtest=ConnectorManifestsTest -Dtagstream.k8s.write=true
            # Secrets stay Connect config-provider references (${file:...}) resolved by the worker from the
            # mounted Secret tagstream-connect-db (and, for the demo HTTP source, tagstream-weather-api).
            """;
}
