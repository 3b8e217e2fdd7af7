package io.tagstream.stack;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Kafka Connect distributed worker whose plugin path holds our connectors, Debezium's PostgreSQL
 * source and JDBC sink and the Apicurio Avro converter (connectors/plugin-path). Plugins are found
 * through ServiceLoader manifests, which cuts start-up from ~18 s to ~6 s.
 */
final class ConnectWorker implements Component {

    static final String NAME = "connect";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Kafka Connect worker (distributed)";
    }

    @Override
    public List<String> ports() {
        return List.of(StackConfig.CONNECT_PORT);
    }

    @Override
    public List<String> dependsOn() {
        return List.of(KafkaBroker.NAME);
    }

    static Path pluginPath(Stack stack) {
        return stack.repo().resolve("connectors/plugin-path/target/plugin-path");
    }

    @Override
    public void prepare(Stack stack) throws Exception {
        if (!Files.isDirectory(pluginPath(stack))) {
            throw new IllegalStateException("Connect plugin path not built: " + pluginPath(stack)
                    + " is missing (scripts/tagstream build)");
        }
        Path dir = stack.dataDirectory(NAME);
        Files.createDirectories(dir);
        int port = stack.port(StackConfig.CONNECT_PORT);
        String config = String.join("\n",
                "# written by the local stack at every start",
                "bootstrap.servers=" + stack.endpoints().bootstrapServers(),
                "group.id=tagstream-connect",
                "listeners=http://127.0.0.1:" + port,
                "rest.advertised.host.name=127.0.0.1",
                "rest.advertised.port=" + port,
                // connectors choose their own converters (Avro through the registry); these are fallbacks
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable=false",
                "config.storage.topic=_connect-configs",
                "offset.storage.topic=_connect-offsets",
                "status.storage.topic=_connect-status",
                "config.storage.replication.factor=1",
                "offset.storage.replication.factor=1",
                "status.storage.replication.factor=1",
                "offset.storage.partitions=5",
                "status.storage.partitions=1",
                "offset.flush.interval.ms=5000",
                "exactly.once.source.support=enabled",
                "plugin.path=" + pluginPath(stack),
                "plugin.discovery=service_load",
                // secrets reach connector configs through providers, never inline: ${file:...} and ${env:...}
                "config.providers=file,env",
                "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "connector.client.config.override.policy=All",
                // refuses literal secrets (auth.secret, webhook.url) at the REST layer, the only place that
                // sees a configuration before the providers resolve it (connectors/connector-config)
                "rest.extension.classes=io.tagstream.connect.config.SecretReferencePolicy",
                "");
        Files.writeString(dir.resolve("connect-distributed.properties"), config, StandardCharsets.UTF_8);
        JvmProcess.writeLoggingConfig(stack, NAME);
    }

    @Override
    public ProcessSpec process(Stack stack) {
        List<String> command = new ArrayList<>(JvmProcess.javaCommand(stack, NAME,
                stack.config().getString(StackConfig.CONNECT_HEAP)));
        command.add("org.apache.kafka.connect.cli.ConnectDistributed");
        command.add(stack.dataDirectory(NAME).resolve("connect-distributed.properties").toString());
        return new ProcessSpec(command, Map.of(), stack.dataDirectory(NAME), JvmProcess.marker(stack, NAME),
                ProcessSpec.StopSignal.TERM);
    }

    /** Ready once REST answers with its plugins; a failing connector is a status problem, not a start-up one. */
    @Override
    public Health readiness(Stack stack) {
        String base = stack.endpoints().connectUrl();
        try {
            JsonHttp.Response plugins = JsonHttp.get(base + "/connector-plugins");
            return plugins.status() == 200 ? Health.up("Connect REST up at " + base)
                    : Health.down("Connect REST at " + base + " answers HTTP " + plugins.status());
        } catch (Exception e) {
            return Health.down("Connect REST not reachable at " + base + ": " + KafkaBroker.rootMessage(e));
        }
    }

    /** REST answers for status: short, a worker that does not answer in time is a problem. */
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(2000);

    /** The worker's plugins and every connector's and task's state, read from REST. */
    @Override
    public Health probe(Stack stack) {
        String base = stack.endpoints().connectUrl();
        try {
            JsonHttp.Response plugins = JsonHttp.get(base + "/connector-plugins?connectorsOnly=false", PROBE_TIMEOUT);
            if (plugins.status() != 200) {
                return Health.down("Connect REST at " + base + " answers HTTP " + plugins.status());
            }
            List<ConnectorStatus> connectors = connectors(base, PROBE_TIMEOUT);
            List<String> details = new ArrayList<>();
            int pluginCount = 0;
            for (JsonNode plugin : plugins.json()) {
                String type = plugin.path("type").asText();
                boolean connector = "source".equals(type) || "sink".equals(type);
                boolean ownConverter = "converter".equals(type) && !plugin.path("class").asText().startsWith("org.apache.kafka.");
                if (connector || ownConverter) { // Kafka's built-in transforms and converters: always there
                    pluginCount++;
                    details.add("plugin " + type + " " + plugin.path("class").asText() + " " + plugin.path("version").asText());
                }
            }
            List<String> problems = new ArrayList<>();
            List<Map<String, Object>> facts = new ArrayList<>();
            for (ConnectorStatus connector : connectors) {
                details.add(connector.line());
                problems.addAll(connector.problems());
                facts.add(connector.facts());
            }
            details.addAll(problems);
            String summary = "Connect REST up at " + base + " (" + pluginCount + " plugins, "
                    + connectors.size() + " connectors" + (problems.isEmpty() ? ", all RUNNING" : "") + ")";
            Map<String, Object> all = Map.of("url", base, "connectors", facts);
            return (problems.isEmpty() ? Health.up(summary, details)
                    : Health.down(summary + ": " + problems.size() + " connector(s)/task(s) not RUNNING", details))
                    .withFacts(all);
        } catch (Exception e) {
            return Health.down("Connect REST not reachable at " + base + ": " + KafkaBroker.rootMessage(e));
        }
    }

    static List<ConnectorStatus> connectors(String base, Duration timeout) throws IOException, InterruptedException {
        JsonHttp.Response response = JsonHttp.get(base + "/connectors?expand=status", timeout);
        if (response.status() != 200) {
            throw new IOException("GET " + base + "/connectors?expand=status answers HTTP " + response.status()
                    + " " + response.body());
        }
        return ConnectorStatus.parse(response.json());
    }

    /** How often {@code up} restarts one connector's failed tasks before it gives up on it. */
    static final int MAX_RESTARTS = 3;
    /** Everything must stay as intended this long: a task that fails on its first records fails within it. */
    static final Duration SETTLE = Duration.ofSeconds(6);

    /**
     * What {@code up} waits for: every registered connector and task in the state asked for (RUNNING unless
     * paused or stopped) for {@link #SETTLE} in a row. FAILED ones are restarted through REST, each connector
     * at most {@link #MAX_RESTARTS} times (a registry hiccup at the first records is transient; a connector
     * that keeps failing is broken). Throws naming what is not running, with Connect's trace.
     */
    static void awaitConnectorsRunning(Stack stack, Duration timeout, Consumer<String> say)
            throws StackException, InterruptedException {
        String base = stack.endpoints().connectUrl();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> restarts = new LinkedHashMap<>();
        long settledSince = -1;
        List<String> lastProblems = List.of("no answer from " + base + " yet");
        while (System.nanoTime() < deadline) {
            List<ConnectorStatus> connectors;
            try {
                connectors = connectors(base, Duration.ofSeconds(10));
            } catch (IOException e) {
                lastProblems = List.of("Connect REST at " + base + ": " + KafkaBroker.rootMessage(e));
                settledSince = -1;
                Thread.sleep(500);
                continue;
            }
            List<String> problems = new ArrayList<>();
            for (ConnectorStatus connector : connectors) {
                problems.addAll(connector.problems());
                if (!connector.failed()) {
                    continue;
                }
                int done = restarts.getOrDefault(connector.name(), 0);
                if (done >= MAX_RESTARTS) {
                    throw new StackException("connect: connector " + connector.name() + " keeps failing after "
                            + done + " restarts:\n    " + String.join("\n    ", connector.problems())
                            + "\n  (log: " + stack.logDirectory().resolve(NAME + ".log") + "; status: curl "
                            + base + "/connectors/" + connector.name() + "/status)");
                }
                restart(base, connector);
                restarts.put(connector.name(), done + 1);
                say.accept("connect: restarted " + connector.name() + " (restart " + (done + 1) + " of at most "
                        + MAX_RESTARTS + "), it was: " + String.join("; ", connector.problems()));
            }
            if (problems.isEmpty()) {
                if (settledSince < 0) {
                    settledSince = System.nanoTime();
                }
                if (System.nanoTime() - settledSince >= SETTLE.toNanos()) {
                    if (!restarts.isEmpty()) {
                        say.accept("connect: after restarting " + restarts.keySet() + ", all " + connectors.size()
                                + " connectors and their tasks are RUNNING");
                    }
                    return;
                }
            } else {
                settledSince = -1;
                lastProblems = problems;
            }
            Thread.sleep(500);
        }
        throw new StackException("connect: not every connector and task is RUNNING after " + timeout.toSeconds()
                + " s (" + StackConfig.STARTUP_TIMEOUT_S + "):\n    " + String.join("\n    ", lastProblems)
                + (restarts.isEmpty() ? "" : "\n  restarted: " + restarts)
                + "\n  (log: " + stack.logDirectory().resolve(NAME + ".log") + ")");
    }

    private static void restart(String base, ConnectorStatus connector) throws StackException, InterruptedException {
        String url = base + "/connectors/" + URLEncoder.encode(connector.name(), StandardCharsets.UTF_8).replace("+", "%20")
                + "/restart?includeTasks=true&onlyFailed=true";
        try {
            JsonHttp.Response response = JsonHttp.post(url, "");
            if (response.status() / 100 != 2) {
                throw new StackException("connect: POST " + url + " answered HTTP " + response.status() + " " + response.body());
            }
        } catch (IOException e) {
            throw new StackException("connect: POST " + url + ": " + KafkaBroker.rootMessage(e), e);
        }
    }

    @Override
    public void onReady(Stack stack) throws Exception {
        if (StackConfig.PROFILE_PLATFORM.equals(stack.config().getString(StackConfig.PROFILE))) {
            ConnectorConfigs.registerAll(stack);
        }
    }
}
