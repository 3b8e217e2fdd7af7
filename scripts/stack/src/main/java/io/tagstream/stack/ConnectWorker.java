package io.tagstream.stack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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

    @Override
    public Health probe(Stack stack) {
        String base = stack.endpoints().connectUrl();
        try {
            JsonHttp.Response plugins = JsonHttp.get(base + "/connector-plugins?connectorsOnly=false");
            if (plugins.status() != 200) {
                return Health.down("Connect REST at " + base + " answers HTTP " + plugins.status());
            }
            List<String> details = new ArrayList<>();
            List<String> pluginNames = new ArrayList<>();
            for (JsonNode plugin : plugins.json()) {
                String type = plugin.path("type").asText();
                boolean connector = "source".equals(type) || "sink".equals(type);
                boolean ownConverter = "converter".equals(type) && !plugin.path("class").asText().startsWith("org.apache.kafka.");
                if (!connector && !ownConverter) {
                    continue; // Kafka's built-in transforms and converters: always there, not worth a line
                }
                pluginNames.add(plugin.path("class").asText());
                details.add("plugin " + type + " " + plugin.path("class").asText() + " " + plugin.path("version").asText());
            }
            boolean healthy = true;
            JsonHttp.Response connectors = JsonHttp.get(base + "/connectors?expand=status");
            JsonNode all = connectors.json();
            for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode status = entry.getValue().path("status");
                String state = status.path("connector").path("state").asText("UNKNOWN");
                StringBuilder line = new StringBuilder("connector " + entry.getKey() + " " + state);
                healthy &= "RUNNING".equals(state);
                for (JsonNode task : status.path("tasks")) {
                    String taskState = task.path("state").asText("UNKNOWN");
                    line.append(", task ").append(task.path("id").asInt()).append(' ').append(taskState);
                    healthy &= "RUNNING".equals(taskState);
                    if (task.has("trace")) {
                        line.append(" (").append(task.path("trace").asText().lines().findFirst().orElse("")).append(')');
                    }
                }
                if (status.path("tasks").isEmpty()) {
                    line.append(", no tasks");
                }
                details.add(line.toString());
            }
            String summary = "Connect REST up at " + base + " (" + pluginNames.size() + " plugins, "
                    + all.size() + " connectors)";
            return healthy ? Health.up(summary, details) : Health.down(summary + ": a connector or task is not RUNNING", details);
        } catch (Exception e) {
            return Health.down("Connect REST not reachable at " + base + ": " + KafkaBroker.rootMessage(e));
        }
    }

    @Override
    public void onReady(Stack stack) throws Exception {
        if (StackConfig.PROFILE_PLATFORM.equals(stack.config().getString(StackConfig.PROFILE))) {
            ConnectorConfigs.registerAll(stack);
        }
    }
}
