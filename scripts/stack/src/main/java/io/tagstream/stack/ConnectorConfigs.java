package io.tagstream.stack;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The connectors the stack runs: every {@code connectors/config/*.json} file ({"name": ..., "config": {...}})
 * (plus those of {@code connectors/config/sinks/<sink.implementation>}) is registered through the Connect REST API with {@code PUT /connectors/<name>/config}, which creates or
 * updates, so running {@code up} again is harmless. Values may use {@code {{placeholder}}} for what only the
 * running stack knows (ports, home); Connect's own {@code ${file:...}} / {@code ${env:...}} references are
 * passed through untouched, so secrets never appear inline.
 */
public final class ConnectorConfigs {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9.]+)}}");

    private ConnectorConfigs() {
    }

    static Path directory(Stack stack) {
        return stack.repo().resolve("connectors/config");
    }

    /** The values placeholders may name. */
    static Map<String, String> placeholders(Stack stack) {
        return placeholders(stack.endpoints(), stack.repo());
    }

    public static Map<String, String> placeholders(StackEndpoints endpoints, Path repo) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kafka.bootstrap", endpoints.bootstrapServers());
        values.put("registry.url", endpoints.registryUrl());
        values.put("registry.api.url", endpoints.registryApiUrl());
        values.put("registry.ccompat.url", endpoints.confluentCompatibleUrl());
        values.put("postgres.host", "127.0.0.1");
        values.put("postgres.port", Integer.toString(endpoints.postgresPort()));
        values.put("postgres.database", StackEndpoints.DATABASE);
        values.put("home", endpoints.home().toString());
        values.put("database.secrets.file", endpoints.databaseSecretsFile().toString());
        values.put("repo", repo.toString());
        values.put("demo.address.map", demoAddressMap(endpoints, repo));
        return values;
    }

    /** The demo plant's address map, the one file the Modbus demo connector, the apps and the ops import read. */
    public static final String DEMO_ADDRESS_MAP = "connectors/config/address-map.csv";
    /** The Modbus connection the demo map names: the simulator on its default port. */
    static final String DEMO_MODBUS_CONNECTION = "tcp://127.0.0.1:15020";

    /**
     * The demo address map as a JSON string body, its simulator connections pointed at the port file the
     * simulator writes (resolved by the worker's file config provider), so a changed simulator port needs
     * no edit of the map. Empty when the file does not exist.
     */
    private static String demoAddressMap(StackEndpoints endpoints, Path repo) {
        Path file = repo.resolve(DEMO_ADDRESS_MAP);
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try {
            String simulator = "tcp://127.0.0.1:${file:" + endpoints.home().resolve(ModbusSimulatorComponent.NAME)
                    .resolve(ModbusSimulatorComponent.PORT_FILE) + ":port}";
            String csv = Files.readString(file, StandardCharsets.UTF_8).replace(DEMO_MODBUS_CONNECTION, simulator);
            String quoted = JsonHttp.mapper().writeValueAsString(csv);
            return quoted.substring(1, quoted.length() - 1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * One connector file rendered for a running stack: its name and its config as JSON, ready for
     * {@code PUT /connectors/<name>/config}. Tests use this to run the very configs the stack runs.
     */
    public static ObjectNode read(Path file, StackEndpoints endpoints, Path repo) throws IOException {
        String rendered = render(Files.readString(file, StandardCharsets.UTF_8), placeholders(endpoints, repo), file.toString());
        JsonNode root = JsonHttp.mapper().readTree(rendered);
        if (root.path("name").asText("").isBlank() || !(root.path("config") instanceof ObjectNode)) {
            throw new IllegalArgumentException(file + ": expected {\"name\": ..., \"config\": {...}}");
        }
        return (ObjectNode) root;
    }

    /** Replaces {@code {{name}}} placeholders; an unknown name is an error that names it and the file. */
    static String render(String template, Map<String, String> values, String source) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException(source + ": unknown placeholder {{" + matcher.group(1)
                        + "}}; known: " + values.keySet());
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    static List<String> registerAll(Stack stack) throws IOException, InterruptedException {
        Path dir = directory(stack);
        List<String> registered = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return registered;
        }
        List<Path> files = new java.util.ArrayList<>(jsonFiles(dir));
        files.addAll(jsonFiles(dir.resolve("sinks").resolve(stack.config().getString(StackConfig.SINK_IMPLEMENTATION))));
        for (Path file : files) {
            ObjectNode root = read(file, stack.endpoints(), stack.repo());
            String name = root.path("name").asText();
            JsonNode config = root.path("config");
            String url = stack.endpoints().connectUrl() + "/connectors/"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/config";
            JsonHttp.Response response = JsonHttp.put(url, JsonHttp.mapper().writeValueAsString(config));
            if (response.status() / 100 != 2) {
                throw new IllegalStateException("registering connector " + name + " from " + file + " failed: HTTP "
                        + response.status() + " " + response.body());
            }
            registered.add(name);
        }
        return registered;
    }
}
