package io.tagstream.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Tagstream Kafka Streams app run from its module's build: {@code streams-apps/<module>/target/<jar>} with
 * its dependencies in {@code target/lib}, configured by the module's {@code config/local.properties} plus
 * environment variables for what this stack decides (bootstrap servers, registry, HTTP port, state
 * directory, address map). Its HTTP port is a stack option ({@code <name>.http.port}). Running when the
 * app's own health says so (Kafka Streams RUNNING, connected to the broker, partitions assigned; see
 * streams-apps/common AppHealth) and the answer comes from the process this stack started.
 */
final class StreamsAppComponent implements Component {

    private static final String HEAP = "256m";

    private final String name;
    private final String description;
    private final String module;
    private final String mainClass;
    private final String portOption;

    StreamsAppComponent(String name, String description, String module, String mainClass, String portOption) {
        this.name = name;
        this.description = description;
        this.module = module;
        this.mainClass = mainClass;
        this.portOption = portOption;
    }

    static StreamsAppComponent deadband() {
        return new StreamsAppComponent("deadband", "Streams app: telemetry.raw -> telemetry.deadband",
                "streams-apps/deadband", "io.tagstream.deadband.DeadbandApp", StackConfig.DEADBAND_HTTP_PORT);
    }

    static StreamsAppComponent imputation() {
        return new StreamsAppComponent("imputation", "Streams app: telemetry.deadband -> telemetry.clean",
                "streams-apps/imputation", "io.tagstream.imputation.ImputationApp", StackConfig.IMPUTATION_HTTP_PORT);
    }

    static StreamsAppComponent aggregation() {
        return new StreamsAppComponent("aggregation", "Streams app: telemetry.clean -> telemetry.agg.1m / .1h",
                "streams-apps/aggregation", "io.tagstream.aggregation.AggregationApp", StackConfig.AGGREGATION_HTTP_PORT);
    }

    static StreamsAppComponent alerts() {
        return new StreamsAppComponent("alerts", "Streams app: telemetry.clean + ops.thresholds -> alerts.events",
                "streams-apps/alerts", "io.tagstream.alerts.AlertsApp", StackConfig.ALERTS_HTTP_PORT);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> ports() {
        return List.of(portOption);
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
                "TAGSTREAM_HTTP_PORT", Integer.toString(stack.port(portOption)),
                "TAGSTREAM_STATE_DIR", stack.dataDirectory(name).resolve("state").toString(),
                "TAGSTREAM_ADDRESS_MAP_PATH", stack.repo().resolve(ConnectorConfigs.DEMO_ADDRESS_MAP).toString());
        return new ProcessSpec(command, environment, stack.dataDirectory(name), JvmProcess.marker(stack, name),
                ProcessSpec.StopSignal.TERM);
    }

    /** Short: {@code status} probes everything at once and must answer within seconds. */
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);

    @Override
    public Health probe(Stack stack) {
        if (stack.get(portOption) == null) {
            return Health.down(name + " has no " + portOption + " in this stack (started by an older launcher? down and up)");
        }
        String base = "http://127.0.0.1:" + stack.port(portOption);
        Optional<ProcessHandle> process = new ProcessTable(stack.home().resolve("run"), stack.logDirectory()).running(name);
        try {
            JsonHttp.Response response = JsonHttp.get(base + "/metrics", PROBE_TIMEOUT);
            JsonNode metrics = response.json();
            Map<String, Object> facts = JsonHttp.mapper().convertValue(metrics, new TypeReference<Map<String, Object>>() { });
            long pid = metrics.path("pid").asLong(-1);
            if (process.isPresent() && pid != process.get().pid()) {
                return Health.down(name + ": " + base + " is answered by another process (pid " + pid + ", ours is "
                        + process.get().pid() + "); option " + portOption).withFacts(facts);
            }
            String counts = String.format(Locale.ROOT, "lag %s, last record %s, in %d, out %d, dead-lettered %d",
                    metrics.path("records_lag").asLong(-1) < 0 ? "unknown" : metrics.path("records_lag").asText(),
                    metrics.path("last_record_at").asText("never"), metrics.path("records_in").asLong(),
                    metrics.path("records_out").asLong(), metrics.path("dead_lettered").asLong());
            boolean running = "true".equals(metrics.path("running").asText());
            return (running ? Health.up(name + " RUNNING at " + base + " (" + counts + ")")
                    : Health.down(name + " not running: " + metrics.path("reason").asText(metrics.path("state").asText("?"))
                            + " (" + counts + ")")).withFacts(facts);
        } catch (Exception e) {
            return Health.down(name + " not reachable at " + base + ": " + KafkaBroker.rootMessage(e));
        }
    }
}
