package io.tagstream.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * compose/docker-compose.yml, checked offline with Debian's docker-compose (v1) — `config -q` against a
 * generated .env — and the structure of the resolved file: health checks, dependency conditions,
 * loopback-only ports, no literal secrets.
 */
class ComposeTest {

    static final Set<String> ONE_SHOT = Set.of("topics", "migrate-timescaledb", "migrate-ops", "import-address-map",
            "register-connectors");
    static final Set<String> EXPECTED = Set.of("kafka", "topics", "registry", "timescaledb", "ops-postgres",
            "migrate-timescaledb", "migrate-ops", "import-address-map", "connect", "modbus-simulator", "weather-api",
            "register-connectors", "deadband", "imputation", "aggregation", "alerts", "grafana");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|_KEY|TOKEN|JAAS).*");

    static Path repo;
    static Path composeFile;
    static Path envFile;
    static Map<String, String> env;
    static JsonNode resolved;
    static JsonNode raw;

    @BeforeAll
    static void resolve() throws IOException {
        repo = Repo.root();
        composeFile = repo.resolve("compose/docker-compose.yml");
        Path binary = Repo.onPath("docker-compose");
        if (binary == null) {
            fail("docker-compose is not installed: these checks need Debian's package (apt-get install -y docker-compose)");
        }
        // the secrets script the README tells users to run, into a file of our own
        envFile = Repo.target().resolve("compose-test.env");
        Files.deleteIfExists(envFile);
        Repo.Result init = Repo.run(repo, 30, List.of("sh", "compose/bin/init-secrets", envFile.toString()));
        assertThat(init.exitCode()).as("compose/bin/init-secrets: %s", init.output()).isZero();
        Properties properties = new Properties();
        try (var in = Files.newInputStream(envFile)) {
            properties.load(in);
        }
        env = new HashMap<>();
        properties.forEach((k, v) -> env.put(k.toString(), v.toString()));

        Repo.Result quiet = Repo.run(repo, 120, List.of(binary.toString(), "-f", composeFile.toString(),
                "--env-file", envFile.toString(), "config", "-q"));
        assertThat(quiet.exitCode()).as("docker-compose config -q: %s", quiet.output()).isZero();
        Repo.Result full = Repo.run(repo, 120, List.of(binary.toString(), "-f", composeFile.toString(),
                "--env-file", envFile.toString(), "config"));
        assertThat(full.exitCode()).as("docker-compose config: %s", full.output()).isZero();
        resolved = Repo.yamlDocuments(full.stdout()).get(0);
        raw = Repo.yamlDocuments(Repo.read(composeFile)).get(0);
    }

    @Test
    void withoutSecretsComposeRefusesToStart() {
        Path empty = Repo.target().resolve("compose-empty.env");
        try {
            Files.writeString(empty, "# nothing\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Repo.Result result = Repo.run(repo, 120, List.of("docker-compose", "-f", composeFile.toString(),
                "--env-file", empty.toString(), "config", "-q"));
        assertThat(result.exitCode()).as("config without the secrets must fail").isNotZero();
        assertThat(result.output()).contains("init-secrets");
    }

    @Test
    void everyPlatformServiceIsThere() {
        assertThat(names(resolved.path("services"))).containsExactlyInAnyOrderElementsOf(EXPECTED);
        assertThat(resolved.path("services").path("kafka").path("image").asText()).isEqualTo("apache/kafka:4.3.1");
        assertThat(resolved.path("services").path("registry").path("image").asText()).startsWith("apicurio/apicurio-registry");
        assertThat(resolved.path("services").path("timescaledb").path("image").asText()).startsWith("timescale/timescaledb:");
        assertThat(resolved.path("services").path("ops-postgres").path("image").asText()).startsWith("postgres:");
        assertThat(resolved.path("services").path("connect").path("build").path("dockerfile").asText())
                .isEqualTo("compose/connect/Dockerfile");
        for (String app : List.of("deadband", "imputation", "aggregation", "alerts")) {
            JsonNode build = resolved.path("services").path(app).path("build");
            assertThat(build.path("dockerfile").asText()).as(app).isEqualTo("compose/streams-app/Dockerfile");
            assertThat(build.path("args").path("APP").asText()).as(app).isEqualTo(app);
        }
    }

    @Test
    void everyServiceHasAHealthcheckOrIsOneShot() {
        resolved.path("services").fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode service = e.getValue();
            if (ONE_SHOT.contains(name)) {
                assertThat(service.path("restart").asText("no")).as("%s is one-shot", name).isEqualTo("no");
                assertThat(service.has("healthcheck")).as("%s is one-shot: no healthcheck", name).isFalse();
            } else {
                assertThat(service.path("healthcheck").path("test").isMissingNode())
                        .as("%s has a healthcheck", name).isFalse();
                assertThat(service.path("restart").asText()).as("%s restarts", name).isEqualTo("unless-stopped");
            }
        });
    }

    @Test
    void dependenciesWaitForHealthOrCompletion() {
        JsonNode services = resolved.path("services");
        int conditions = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode dependsOn = e.getValue().path("depends_on");
            if (dependsOn.isMissingNode()) {
                continue;
            }
            assertThat(dependsOn.isObject()).as("%s: depends_on with conditions", e.getKey()).isTrue();
            String networkMode = e.getValue().path("network_mode").asText("");
            for (Iterator<Map.Entry<String, JsonNode>> deps = dependsOn.fields(); deps.hasNext(); ) {
                Map.Entry<String, JsonNode> dep = deps.next();
                String condition = dep.getValue().path("condition").asText("");
                assertThat(services.has(dep.getKey())).as("%s depends on a service that exists: %s", e.getKey(), dep.getKey()).isTrue();
                String expected = ONE_SHOT.contains(dep.getKey()) ? "service_completed_successfully"
                        : networkMode.equals("service:" + dep.getKey()) ? "service_started" : "service_healthy";
                assertThat(condition).as("%s -> %s", e.getKey(), dep.getKey()).isEqualTo(expected);
                conditions++;
            }
        }
        assertThat(conditions).isGreaterThan(20);
        // the one-shots gate what needs them
        assertThat(services.path("connect").path("depends_on").has("migrate-timescaledb")).isTrue();
        assertThat(services.path("connect").path("depends_on").has("topics")).isTrue();
        assertThat(services.path("register-connectors").path("depends_on").path("connect").path("condition").asText())
                .isEqualTo("service_healthy");
        assertThat(services.path("grafana").path("depends_on").has("migrate-timescaledb")).isTrue();
    }

    @Test
    void portsArePublishedOnLoopbackOnly() {
        int published = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = raw.path("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (JsonNode port : e.getValue().path("ports")) {
                assertThat(port.isTextual()).as("%s: ports in short syntax", e.getKey()).isTrue();
                assertThat(port.asText()).as("%s publishes %s", e.getKey(), port.asText()).startsWith("127.0.0.1:");
                published++;
            }
            assertThat(e.getValue().path("network_mode").asText("")).as(e.getKey()).isNotEqualTo("host");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = resolved.path("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (JsonNode port : e.getValue().path("ports")) {
                String text = port.isTextual() ? port.asText() : port.path("host_ip").asText("");
                assertThat(text).as("%s (resolved) publishes %s", e.getKey(), port).startsWith("127.0.0.1");
            }
        }
        assertThat(published).as("Kafka, registry, Connect, both databases, Grafana").isEqualTo(6);
    }

    @Test
    void noLiteralSecrets() throws IOException {
        // in the file: every secret-looking variable is an interpolation of .env
        for (Iterator<Map.Entry<String, JsonNode>> it = raw.path("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode environment = e.getValue().path("environment");
            environment.fields().forEachRemaining(var -> {
                if (SECRET_NAME.matcher(var.getKey()).matches() && !var.getKey().endsWith("_FILE")) {
                    assertThat(var.getValue().asText()).as("%s: %s comes from .env", e.getKey(), var.getKey())
                            .matches("\\$\\{[A-Z0-9_]+:\\?[^}]*}");
                }
            });
        }
        // resolved: the values are the generated ones
        JsonNode grafana = resolved.path("services").path("grafana").path("environment");
        assertThat(grafana.path("GF_SECURITY_ADMIN_PASSWORD").asText()).isEqualTo(env.get("GRAFANA_ADMIN_PASSWORD"));
        assertThat(grafana.path("TAGSTREAM_DB_VIEWER_PASSWORD").asText()).isEqualTo(env.get("TAGSTREAM_DB_VIEWER_PASSWORD"));
        // the example lists the variables with no values, and .env itself is never committed
        Path example = repo.resolve("compose/.env.example");
        for (String line : Files.readAllLines(example)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(line).as(".env.example: %s", line).endsWith("=");
            }
        }
        assertThat(Repo.read(repo.resolve("compose/.gitignore")).lines()).contains(".env");
        // no password literal anywhere in the files of compose/ this project writes
        Pattern literal = Pattern.compile("(?i)(password|secret|servicekey)\\s*[:=]\\s*['\"]?[A-Za-z0-9+/_-]{8,}");
        try (Stream<Path> files = Files.walk(repo.resolve("compose"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(ComposeTest::ours).toList()) {
                String text = Repo.read(file);
                for (String line : text.split("\n")) {
                    if (line.contains("${") || line.contains("$(")) {
                        continue; // interpolation or generated
                    }
                    assertThat(literal.matcher(line).find()).as("literal secret in %s: %s", repo.relativize(file), line).isFalse();
                }
            }
        }
    }

    private static boolean ours(Path file) {
        String path = repo.relativize(file).toString();
        return !path.startsWith("compose/grafana/") && !path.contains("/target/") && !path.startsWith("compose/dashboard-check/")
                && !path.endsWith(".env");
    }

    @Test
    void grafanaReadsTheSharedProvisioning() {
        JsonNode grafana = resolved.path("services").path("grafana");
        boolean mounted = false;
        for (JsonNode volume : grafana.path("volumes")) {
            String text = volume.isTextual() ? volume.asText()
                    : volume.path("source").asText() + ":" + volume.path("target").asText();
            if (text.contains("compose/grafana/provisioning:/etc/grafana/provisioning")) {
                mounted = true;
            }
        }
        assertThat(mounted).as("grafana mounts compose/grafana/provisioning: %s", grafana.path("volumes")).isTrue();
        assertThat(grafana.path("environment").path("TAGSTREAM_DB_HOST").asText()).isEqualTo("timescaledb:5432");
    }

    @Test
    void dockerfilesCopyWhatExistsOrWhatTheBuildMakes() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(repo.resolve("compose"))) {
            for (Path dockerfile : files.filter(p -> p.getFileName().toString().equals("Dockerfile")).toList()) {
                for (String line : Files.readAllLines(dockerfile)) {
                    String trimmed = line.trim();
                    if (!trimmed.startsWith("COPY ")) {
                        continue;
                    }
                    String[] parts = trimmed.replaceAll("--chown=\\S+", "").trim().split("\\s+");
                    for (int i = 1; i < parts.length - 1; i++) {
                        String source = parts[i].replace("\\", "");
                        if (source.isBlank() || source.contains("/target/") || source.contains("${")) {
                            continue; // Maven build output or a build argument
                        }
                        if (!Files.exists(repo.resolve(source))) {
                            missing.add(repo.relativize(dockerfile) + ": " + source);
                        }
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    /** The registration script renders every connector config into valid JSON (curl replaced by a recorder). */
    @Test
    void registerScriptRendersEveryConnector() throws Exception {
        Path work = Files.createDirectories(Repo.target().resolve("register-test"));
        Path bodies = Files.createDirectories(work.resolve("bodies"));
        try (Stream<Path> old = Files.list(bodies)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Path fakeCurl = work.resolve("curl");
        Files.writeString(fakeCurl, """
                #!/bin/sh
                # records the request body and URL, answers 200
                for last; do :; done
                name=$(printf '%s' "$last" | sed 's|.*/connectors/||; s|/config$||')
                cat > "$BODIES/$name.json"
                printf 200
                """);
        fakeCurl.toFile().setExecutable(true);
        Map<String, String> vars = new HashMap<>();
        vars.put("PATH", work + ":" + System.getenv("PATH"));
        vars.put("BODIES", bodies.toString());
        vars.put("CONNECTORS_DIR", repo.resolve("connectors/config").toString());
        vars.put("CONNECT_URL", "http://connect:8083");
        vars.put("KAFKA_BOOTSTRAP", "kafka:9092");
        vars.put("REGISTRY_URL", "http://registry:8080");
        vars.put("TELEMETRY_DB_HOST", "timescaledb");
        vars.put("OPS_DB_HOST", "ops-postgres");
        vars.put("DB_PORT", "5432");
        vars.put("DB_NAME", "tagstream");
        vars.put("TAGSTREAM_HOME", "/var/lib/tagstream");
        vars.put("DATABASE_SECRETS_FILE", "/run/tagstream/database.properties");
        for (String sinks : List.of("copy", "jdbc")) {
            vars.put("SINK_IMPLEMENTATION", sinks);
            ProcessBuilder pb = new ProcessBuilder("sh", repo.resolve("compose/register/register-connectors.sh").toString())
                    .redirectErrorStream(true);
            pb.environment().putAll(vars);
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as("register-connectors.sh (%s): %s", sinks, output).isZero();
            List<Path> expectedFiles = new ArrayList<>();
            try (Stream<Path> list = Files.list(repo.resolve("connectors/config"))) {
                list.filter(p -> p.toString().endsWith(".json")).forEach(expectedFiles::add);
            }
            try (Stream<Path> list = Files.list(repo.resolve("connectors/config/sinks/" + sinks))) {
                list.filter(p -> p.toString().endsWith(".json")).forEach(expectedFiles::add);
            }
            for (Path source : expectedFiles) {
                JsonNode template = Repo.JSON.readTree(source.toFile());
                String name = template.path("name").asText();
                Path body = bodies.resolve(name + ".json");
                assertThat(body).as("%s registered (%s)", name, sinks).exists();
                JsonNode config = Repo.JSON.readTree(body.toFile());
                assertThat(config.isObject()).isTrue();
                assertThat(config.path("connector.class").asText())
                        .isEqualTo(template.path("config").path("connector.class").asText());
                assertThat(config.size()).as(name).isEqualTo(template.path("config").size());
                assertThat(config.toString()).as(name).doesNotContain("{{");
                if (name.equals("cdc-ops")) {
                    assertThat(config.path("database.hostname").asText()).isEqualTo("ops-postgres");
                    assertThat(config.path("database.password").asText())
                            .isEqualTo("${file:/run/tagstream/database.properties:replicator.password}");
                } else if (config.has("connection.url")) {
                    assertThat(config.path("connection.url").asText()).isEqualTo("jdbc:postgresql://timescaledb:5432/tagstream");
                }
                if (name.equals("modbus-demo")) {
                    assertThat(config.path("modbus.address.map").asText())
                            .isEqualTo(Repo.read(repo.resolve("connectors/config/address-map.csv")));
                }
            }
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
