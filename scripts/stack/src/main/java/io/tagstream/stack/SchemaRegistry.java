package io.tagstream.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Apicurio Registry built from Maven Central (scripts/schema-registry), serving the Confluent-compatible
 * API. Storage is Apicurio's SQL storage in the stack's PostgreSQL, database {@value #DATABASE} owned by
 * role {@value #ROLE} (created by {@link PostgresServer#onReady}): schema ids stay the same across
 * restarts, so records already on topics keep resolving, and concurrent first registrations are
 * serialised by PostgreSQL rather than timing out on an embedded file store's table locks.
 */
final class SchemaRegistry implements Component {

    static final String NAME = "registry";
    /** The registry's own database and login role in the stack's PostgreSQL. */
    static final String DATABASE = "registry";
    static final String ROLE = "registry";
    /**
     * Connection pool of the registry. Apicurio's production defaults (20 to 100 connections) would take
     * the whole of the stack's max_connections=100; 16 serve well over the concurrent registrations a cold
     * start makes (SchemaRegistryStorageIT fires 16 at once).
     */
    static final int POOL_MAX = 16;

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

    /** Its storage lives in PostgreSQL. */
    @Override
    public List<String> dependsOn() {
        return List.of(PostgresServer.NAME);
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
        command.add("-Dquarkus.datasource.jdbc.initial-size=2");
        command.add("-Dquarkus.datasource.jdbc.min-size=2");
        command.add("-Dquarkus.datasource.jdbc.max-size=" + POOL_MAX);
        command.add("-jar");
        command.add(application(stack).toString());
        // the password goes through the environment, never the command line (ps shows that)
        return new ProcessSpec(command,
                Map.of("REGISTRY_DATASOURCE_URL", stack.endpoints().jdbcUrl(DATABASE),
                        "REGISTRY_DATASOURCE_USERNAME", ROLE,
                        "REGISTRY_DATASOURCE_PASSWORD", stack.endpoints().rolePassword(ROLE)),
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
