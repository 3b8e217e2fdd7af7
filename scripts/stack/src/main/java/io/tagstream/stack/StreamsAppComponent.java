package io.tagstream.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Tagstream Kafka Streams app run from its module's build: {@code streams-apps/<module>/target/<jar>} with
 * its dependencies in {@code target/lib}, configured by the module's {@code config/local.properties} plus
 * environment variables for what this stack decides (bootstrap servers, registry, HTTP port, state
 * directory, address map). Ready when the app's {@code /ready} answers 200, i.e. Kafka Streams is RUNNING.
 *
 * <p>The HTTP port is the app's default when it is free, else a free port; it is kept in
 * {@code <home>/<name>/http.port} so {@code status} finds it.
 */
final class StreamsAppComponent implements Component {

    private static final String HEAP = "256m";

    private final String name;
    private final String description;
    private final String module;
    private final String mainClass;
    private final int defaultHttpPort;

    StreamsAppComponent(String name, String description, String module, String mainClass, int defaultHttpPort) {
        this.name = name;
        this.description = description;
        this.module = module;
        this.mainClass = mainClass;
        this.defaultHttpPort = defaultHttpPort;
    }

    static StreamsAppComponent deadband() {
        return new StreamsAppComponent("deadband", "Streams app: telemetry.raw -> telemetry.deadband",
                "streams-apps/deadband", "io.tagstream.deadband.DeadbandApp", 18091);
    }

    static StreamsAppComponent imputation() {
        return new StreamsAppComponent("imputation", "Streams app: telemetry.deadband -> telemetry.clean",
                "streams-apps/imputation", "io.tagstream.imputation.ImputationApp", 18092);
    }

    static StreamsAppComponent aggregation() {
        return new StreamsAppComponent("aggregation", "Streams app: telemetry.clean -> telemetry.agg.1m / .1h",
                "streams-apps/aggregation", "io.tagstream.aggregation.AggregationApp", 18093);
    }

    static StreamsAppComponent alerts() {
        return new StreamsAppComponent("alerts", "Streams app: telemetry.clean + ops.thresholds -> alerts.events",
                "streams-apps/alerts", "io.tagstream.alerts.AlertsApp", 18096);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    /** The HTTP port is chosen at start (see the class comment), not a stack option. */
    @Override
    public List<String> ports() {
        return List.of();
    }

    @Override
    public Tier tier() {
        return Tier.PLATFORM;
    }

    @Override
    public List<String> dependsOn() {
        return List.of(KafkaBroker.NAME, SchemaRegistry.NAME);
    }

    private Path moduleDirectory(Stack stack) {
        return stack.repo().resolve(module);
    }

    private Path jar(Stack stack) {
        return moduleDirectory(stack).resolve("target/tagstream-" + name + ".jar");
    }

    private Path configFile(Stack stack) {
        return moduleDirectory(stack).resolve("config/local.properties");
    }

    private Path portFile(Stack stack) {
        return stack.dataDirectory(name).resolve("http.port");
    }

    @Override
    public void prepare(Stack stack) throws Exception {
        if (!Files.isRegularFile(jar(stack)) || !Files.isDirectory(moduleDirectory(stack).resolve("target/lib"))) {
            throw new IllegalStateException(name + " not built: " + jar(stack) + " or its target/lib is missing "
                    + "(scripts/tagstream build)");
        }
        if (!Files.isRegularFile(configFile(stack))) {
            throw new IllegalStateException(name + ": configuration " + configFile(stack) + " is missing");
        }
        Files.createDirectories(stack.dataDirectory(name).resolve("state"));
        int port = portFree(defaultHttpPort) ? defaultHttpPort : freePort();
        Files.writeString(portFile(stack), Integer.toString(port), StandardCharsets.UTF_8);
        JvmProcess.writeLoggingConfig(stack, name);
    }

    @Override
    public ProcessSpec process(Stack stack) throws Exception {
        List<String> command = new ArrayList<>(JvmProcess.jvmFlags(stack, name, HEAP));
        // the app logs its graceful shutdown from its own hook; log4j's hook would stop logging first
        command.add("-Dlog4j2.shutdownHookEnabled=false");
        command.add("-cp");
        command.add(jar(stack) + java.io.File.pathSeparator + moduleDirectory(stack).resolve("target/lib").resolve("*"));
        command.add(mainClass);
        command.add(configFile(stack).toString());
        StackEndpoints endpoints = stack.endpoints();
        // what this stack decides overrides the checked-in file: TAGSTREAM_<OPTION> environment variables
        Map<String, String> environment = Map.of(
                "TAGSTREAM_BOOTSTRAP_SERVERS", endpoints.bootstrapServers(),
                "TAGSTREAM_REGISTRY_URL", endpoints.registryApiUrl(),
                "TAGSTREAM_HTTP_PORT", Integer.toString(httpPort(stack)),
                "TAGSTREAM_STATE_DIR", stack.dataDirectory(name).resolve("state").toString(),
                "TAGSTREAM_ADDRESS_MAP_PATH", stack.repo().resolve(ConnectorConfigs.DEMO_ADDRESS_MAP).toString());
        return new ProcessSpec(command, environment, stack.dataDirectory(name), JvmProcess.marker(stack, name),
                ProcessSpec.StopSignal.TERM);
    }

    private int httpPort(Stack stack) throws IOException {
        return Integer.parseInt(Files.readString(portFile(stack), StandardCharsets.UTF_8).trim());
    }

    @Override
    public Health probe(Stack stack) {
        String base;
        try {
            base = "http://127.0.0.1:" + httpPort(stack);
        } catch (IOException | NumberFormatException e) {
            return Health.down(name + " has not been started in this stack (no " + portFile(stack) + ")");
        }
        try {
            JsonHttp.Response ready = JsonHttp.get(base + "/ready");
            JsonNode metrics = JsonHttp.get(base + "/metrics").json();
            String counts = String.format("in %d, out %d, suppression %.1f %%, imputed %d, dead-lettered %d",
                    metrics.path("records_in").asLong(), metrics.path("records_out").asLong(),
                    metrics.path("suppression_ratio").asDouble() * 100, metrics.path("imputed").asLong(),
                    metrics.path("dead_lettered").asLong());
            String state = metrics.path("state").asText("UNKNOWN");
            return ready.status() == 200
                    ? Health.up(name + " RUNNING, endpoints at " + base + " (" + counts + ")")
                    : Health.down(name + " not ready: Kafka Streams is " + state + " (" + base + "/ready)");
        } catch (Exception e) {
            return Health.down(name + " not reachable at " + base + ": " + KafkaBroker.rootMessage(e));
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
