package io.tagstream.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Apicurio Registry built from Maven Central (scripts/schema-registry), serving the Confluent-compatible
 * API. Storage is H2 on a file so schema ids stay the same across restarts: records already on topics
 * keep resolving.
 */
final class SchemaRegistry implements Component {

    static final String NAME = "registry";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "schema registry (Apicurio, Confluent-compatible API)";
    }

    @Override
    public List<String> ports() {
        return List.of(StackConfig.REGISTRY_PORT);
    }

    private static Path application(Stack stack) {
        return stack.repo().resolve("scripts/schema-registry/target/tagstream-schema-registry-runner.jar");
    }

    @Override
    public void prepare(Stack stack) throws Exception {
        if (!Files.isRegularFile(application(stack))) {
            throw new IllegalStateException("schema registry not built: " + application(stack)
                    + " is missing (scripts/tagstream build)");
        }
        Files.createDirectories(stack.dataDirectory(NAME));
    }

    @Override
    public ProcessSpec process(Stack stack) {
        List<String> command = new ArrayList<>(JvmProcess.jvmFlags(stack, NAME,
                stack.config().getString(StackConfig.REGISTRY_HEAP)));
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + stack.port(StackConfig.REGISTRY_PORT));
        command.add("-jar");
        command.add(application(stack).toString());
        Path database = stack.dataDirectory(NAME).resolve("registry");
        return new ProcessSpec(command,
                Map.of("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + database + ";DB_CLOSE_ON_EXIT=FALSE",
                        "REGISTRY_DATASOURCE_USERNAME", "sa",
                        "REGISTRY_DATASOURCE_PASSWORD", "sa"),
                stack.dataDirectory(NAME), JvmProcess.marker(stack, NAME), ProcessSpec.StopSignal.TERM);
    }

    /** The registry enforces what SchemaCompatibilityTest proves: every change stays BACKWARD compatible. */
    @Override
    public void onReady(Stack stack) throws Exception {
        String rules = stack.endpoints().registryApiUrl() + "/admin/rules";
        JsonHttp.Response current = JsonHttp.get(rules + "/COMPATIBILITY");
        String rule = "{\"type\":\"COMPATIBILITY\",\"config\":\"BACKWARD\"}";
        JsonHttp.Response response;
        if (current.status() == 404) {
            response = JsonHttp.post(rules, rule);
        } else if (current.status() == 200 && !"BACKWARD".equals(current.json().path("config").asText())) {
            response = JsonHttp.put(rules + "/COMPATIBILITY", rule);
        } else {
            response = current;
        }
        if (response.status() / 100 != 2) {
            throw new IllegalStateException("could not set the global BACKWARD compatibility rule: HTTP "
                    + response.status() + " " + response.body());
        }
    }

    @Override
    public Health probe(Stack stack) {
        String base = stack.endpoints().registryUrl();
        try {
            JsonHttp.Response ready = JsonHttp.get(base + "/health/ready");
            if (ready.status() != 200) {
                return Health.down("registry at " + base + " not ready (HTTP " + ready.status() + ")");
            }
            JsonHttp.Response subjects = JsonHttp.get(stack.endpoints().confluentCompatibleUrl() + "/subjects");
            if (subjects.status() != 200) {
                return Health.down("Confluent-compatible API not answering (HTTP " + subjects.status() + ")");
            }
            return Health.up("registry ready at " + base + " (" + subjects.json().size() + " subjects; Confluent API "
                    + stack.endpoints().confluentCompatibleUrl() + ")");
        } catch (Exception e) {
            return Health.down("registry not reachable at " + base + ": " + KafkaBroker.rootMessage(e));
        }
    }
}
