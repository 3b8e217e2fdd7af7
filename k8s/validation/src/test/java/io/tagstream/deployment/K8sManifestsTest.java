package io.tagstream.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What the rendered overlays must say, whatever the schemas allow. */
class K8sManifestsTest {

    static final List<String> APPS = List.of("deadband", "imputation", "aggregation", "alerts");
    static final Map<String, Integer> APP_PORTS = Map.of("deadband", 18091, "imputation", 18092, "aggregation", 18093,
            "alerts", 18096);
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|JAAS|TOKEN).*");

    @Test
    void baseHasNoSecretsAndNoLiteralPasswords() {
        List<JsonNode> base = Kustomize.render("k8s/base");
        assertThat(Kustomize.ofKind(base, "Secret")).as("the base only refers to Secrets").isEmpty();
        for (JsonNode object : base) {
            for (JsonNode container : containers(object)) {
                for (JsonNode env : container.path("env")) {
                    if (SECRET_NAME.matcher(env.path("name").asText()).matches()) {
                        assertThat(env.has("value")).as("%s %s: %s must come from a Secret", object.path("kind").asText(),
                                object.path("metadata").path("name").asText(), env.path("name").asText()).isFalse();
                        assertThat(env.path("valueFrom").has("secretKeyRef")).isTrue();
                    }
                }
            }
        }
        // and nothing under k8s/ that is committed holds one: the dev secrets directory is ignored
        assertThat(Repo.read(Repo.path("k8s/overlays/dev/.gitignore")).lines()).contains("secrets/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void everyWorkloadHasResourcesAndProbes(String overlay) {
        List<JsonNode> objects = Kustomize.render(overlay);
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            if (!Set.of("Deployment", "StatefulSet", "Job").contains(kind)) {
                continue;
            }
            String name = object.path("metadata").path("name").asText();
            for (JsonNode container : containers(object)) {
                String where = overlay + " " + kind + " " + name + "/" + container.path("name").asText();
                assertThat(container.path("resources").path("requests").has("memory")).as("%s requests memory", where).isTrue();
                assertThat(container.path("resources").path("requests").has("cpu")).as("%s requests cpu", where).isTrue();
                assertThat(container.path("resources").path("limits").has("memory")).as("%s limits memory", where).isTrue();
                if (!kind.equals("Job")) {
                    assertThat(container.has("readinessProbe") || container.has("livenessProbe"))
                            .as("%s has probes", where).isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void streamsAppsProbeHealthAndReadyAndHaveDisruptionBudgets(String overlay) {
        List<JsonNode> objects = Kustomize.render(overlay);
        for (String app : APPS) {
            JsonNode deployment = Kustomize.named(objects, "Deployment", app);
            JsonNode container = containers(deployment).get(0);
            assertThat(container.path("image").asText()).startsWith("tagstream/" + app + ":");
            assertThat(container.path("readinessProbe").path("exec").path("command").toString())
                    .as("%s readiness: /ready", app).contains("healthcheck.sh").contains("ready");
            assertThat(container.path("livenessProbe").path("exec").path("command").toString())
                    .as("%s liveness: /health", app).contains("healthcheck.sh").contains("health");
            Map<String, JsonNode> env = env(container);
            assertThat(env.get("TAGSTREAM_HTTP_PORT").path("value").asText()).isEqualTo(APP_PORTS.get(app).toString());
            assertThat(env).containsKeys("TAGSTREAM_BOOTSTRAP_SERVERS", "TAGSTREAM_REGISTRY_URL", "TAGSTREAM_STATE_DIR");
            assertThat(deployment.path("metadata").path("annotations").path("tagstream.io/main-class").asText())
                    .isEqualTo(mainClass(app));
            JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
            boolean covered = false;
            for (JsonNode pdb : Kustomize.ofKind(objects, "PodDisruptionBudget")) {
                JsonNode match = pdb.path("spec").path("selector").path("matchLabels");
                boolean all = match.size() > 0;
                for (var it = match.fields(); it.hasNext(); ) {
                    var e = it.next();
                    all &= e.getValue().asText().equals(labels.path(e.getKey()).asText());
                }
                covered |= all;
            }
            assertThat(covered).as("%s: a PodDisruptionBudget selects %s", overlay, app).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void connectRestIsNotReachableFromOutsideTheNamespace(String overlay) {
        List<JsonNode> objects = Kustomize.render(overlay);
        JsonNode connect = Kustomize.named(objects, "KafkaConnect", "tagstream-connect");
        assertThat(connect.path("metadata").path("annotations").path("strimzi.io/use-connector-resources").asText()).isEqualTo("true");
        JsonNode policy = Kustomize.named(objects, "NetworkPolicy", "connect-rest");
        assertThat(policy.path("spec").path("podSelector").path("matchLabels").path("strimzi.io/cluster").asText())
                .isEqualTo("tagstream-connect");
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            assertThat(rule.path("ports").toString()).contains("8083");
            for (JsonNode peer : rule.path("from")) {
                assertThat(peer.has("ipBlock")).as("no ipBlock peers").isFalse();
                if (peer.has("namespaceSelector")) {
                    assertThat(peer.path("podSelector").path("matchLabels").path("strimzi.io/kind").asText())
                            .as("other namespaces: only the Strimzi operator").isEqualTo("cluster-operator");
                }
            }
        }
        JsonNode deny = Kustomize.named(objects, "NetworkPolicy", "default-deny-ingress");
        assertThat(deny.path("spec").path("podSelector").size()).isZero();
        // no Service of ours exposes anything outside the cluster
        for (JsonNode service : Kustomize.ofKind(objects, "Service")) {
            assertThat(service.path("spec").path("type").asText("ClusterIP")).isEqualTo("ClusterIP");
        }
        for (JsonNode listener : Kustomize.named(objects, "Kafka", "tagstream").path("spec").path("kafka").path("listeners")) {
            assertThat(listener.path("type").asText()).isEqualTo("internal");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void topicsConnectorsAndGrafanaAreTheSharedOnes(String overlay) throws IOException {
        List<JsonNode> objects = Kustomize.render(overlay);
        Map<String, TopicSpecs.Topic> topics = TopicSpecs.fromKafkaTopics(objects);
        for (TopicSpecs.Topic topic : TopicSpecs.catalog().values()) {
            assertThat(topics.get(topic.name())).as("%s: KafkaTopic %s", overlay, topic.name()).isEqualTo(topic);
        }
        int replicas = overlay.endsWith("prod") ? 3 : 1;
        for (JsonNode topic : Kustomize.ofKind(objects, "KafkaTopic")) {
            assertThat(topic.path("spec").path("replicas").asInt()).isEqualTo(replicas);
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("tagstream");
        }
        for (JsonNode connector : Kustomize.ofKind(objects, "KafkaConnector")) {
            assertThat(connector.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("tagstream-connect");
        }
        Set<String> connectors = new HashSet<>();
        Kustomize.ofKind(objects, "KafkaConnector").forEach(c -> connectors.add(c.path("metadata").path("name").asText()));
        assertThat(connectors).contains("cdc-ops", "sink-ops-replica", "sink-telemetry-readings", "sink-alert-events");
        assertThat(connectors.containsAll(ConnectorManifests.DEMO)).isEqualTo(overlay.endsWith("dev"));

        // Grafana's ConfigMaps carry compose/grafana/provisioning file for file
        for (String dir : List.of("datasources", "dashboards")) {
            Map<String, String> expected = new HashMap<>();
            try (Stream<Path> files = Files.list(Repo.path("compose/grafana/provisioning").resolve(dir))) {
                files.filter(Files::isRegularFile).forEach(f -> expected.put(f.getFileName().toString(), Repo.read(f)));
            }
            Map<String, String> actual = new HashMap<>();
            for (JsonNode cm : Kustomize.ofKind(objects, "ConfigMap")) {
                if (cm.path("metadata").path("name").asText().startsWith("grafana-" + dir + "-")) {
                    cm.path("data").fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asText()));
                }
            }
            assertThat(actual).as("ConfigMap grafana-%s holds every file of compose/grafana/provisioning/%s, unchanged "
                    + "(list new files in compose/kustomization.yaml)", dir, dir).isEqualTo(expected);
        }
        JsonNode grafana = Kustomize.named(objects, "Deployment", "grafana");
        Set<String> mounts = new HashSet<>();
        containers(grafana).get(0).path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertThat(mounts).contains("/etc/grafana/provisioning/datasources", "/etc/grafana/provisioning/dashboards");
        assertThat(env(containers(grafana).get(0)).get("TAGSTREAM_DB_VIEWER_PASSWORD").path("valueFrom").path("secretKeyRef")
                .path("key").asText()).isEqualTo("viewer-password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void databaseMigrationsRunAsAJobWithTheRolesOfTheStorageSchema(String overlay) {
        List<JsonNode> objects = Kustomize.render(overlay);
        JsonNode job = Kustomize.named(objects, "Job", "tagstream-migrations");
        JsonNode container = containers(job).get(0);
        assertThat(container.path("args").get(0).asText()).isEqualTo("io.tagstream.database.DatabaseMigrations");
        Map<String, JsonNode> env = env(container);
        for (String role : List.of("INGEST", "VIEWER", "REPLICATOR")) {
            assertThat(env.get("TAGSTREAM_DB_" + role + "_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText())
                    .isEqualTo("tagstream-db");
        }
        assertThat(env.get("TAGSTREAM_DB_URL").path("value").asText()).isEqualTo("jdbc:postgresql://timescaledb:5432/tagstream");
        JsonNode db = Kustomize.named(objects, "StatefulSet", "timescaledb");
        assertThat(db.path("spec").path("volumeClaimTemplates")).isNotEmpty();
        assertThat(containers(db).get(0).path("image").asText()).startsWith("timescale/timescaledb:");
        assertThat(containers(db).get(0).path("args").toString()).contains("wal_level=logical");
    }

    @Test
    void devGeneratesItsSecretsAndCarriesTheDemoAddressMap() {
        List<JsonNode> objects = Kustomize.render("k8s/overlays/dev");
        Set<String> secrets = new HashSet<>();
        Kustomize.ofKind(objects, "Secret").forEach(s -> secrets.add(s.path("metadata").path("name").asText()));
        assertThat(secrets).containsExactlyInAnyOrder("tagstream-db", "tagstream-connect-db", "tagstream-grafana",
                "tagstream-weather-api");
        assertThat(Kustomize.named(objects, "Secret", "tagstream-db").path("data").fieldNames())
                .toIterable().containsExactlyInAnyOrder("admin-user", "admin-password", "ingest-password", "viewer-password",
                        "replicator-password");
        assertThat(Repo.read(Repo.path("k8s/overlays/dev/address-map.csv")))
                .as("k8s/overlays/dev/address-map.csv is a copy of connectors/config/address-map.csv")
                .isEqualTo(Repo.read(Repo.path("connectors/config/address-map.csv")));
        JsonNode map = null;
        for (JsonNode cm : Kustomize.ofKind(objects, "ConfigMap")) {
            if (cm.path("metadata").path("name").asText().startsWith("tagstream-address-map")) {
                map = cm;
            }
        }
        assertThat(map).isNotNull();
        assertThat(map.path("data").path("address-map.csv").asText()).isEqualTo(Repo.read(Repo.path("connectors/config/address-map.csv")));
        assertThat(Kustomize.named(objects, "Deployment", "modbus-simulator")).isNotNull();
        assertThat(Kustomize.named(objects, "Service", "weather-api")).isNotNull();
        for (JsonNode o : objects) {
            assertThat(o.path("kind").asText().equals("Namespace") || o.path("metadata").path("namespace").asText().equals("tagstream-dev"))
                    .as("%s %s in tagstream-dev", o.path("kind").asText(), o.path("metadata").path("name").asText()).isTrue();
        }
    }

    @Test
    void prodUsesScramOverTlsEverywhere() {
        List<JsonNode> objects = Kustomize.render("k8s/overlays/prod");
        assertThat(Kustomize.ofKind(objects, "Secret")).as("prod generates no Secret").isEmpty();
        JsonNode kafka = Kustomize.named(objects, "Kafka", "tagstream").path("spec").path("kafka");
        assertThat(kafka.path("listeners")).isNotEmpty();
        for (JsonNode listener : kafka.path("listeners")) {
            assertThat(listener.path("tls").asBoolean()).as("listener %s over TLS", listener.path("name").asText()).isTrue();
            assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        }
        assertThat(kafka.path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(kafka.path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
        for (JsonNode pool : Kustomize.ofKind(objects, "KafkaNodePool")) {
            assertThat(pool.path("spec").path("replicas").asInt()).isEqualTo(3);
        }
        Set<String> users = new HashSet<>();
        for (JsonNode user : Kustomize.ofKind(objects, "KafkaUser")) {
            users.add(user.path("metadata").path("name").asText());
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.path("spec").path("authorization").path("acls")).isNotEmpty();
        }
        assertThat(users).containsExactlyInAnyOrder("tagstream-connect", "tagstream-registry", "tagstream-deadband",
                "tagstream-imputation", "tagstream-aggregation", "tagstream-alerts");
        JsonNode connect = Kustomize.named(objects, "KafkaConnect", "tagstream-connect").path("spec");
        assertThat(connect.path("bootstrapServers").asText()).endsWith(":9093");
        assertThat(connect.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(connect.path("authentication").path("username").asText()).isEqualTo("tagstream-connect");
        assertThat(connect.path("tls").path("trustedCertificates")).isNotEmpty();
        assertThat(connect.path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        for (String app : APPS) {
            JsonNode deployment = Kustomize.named(objects, "Deployment", app);
            assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
            Map<String, JsonNode> env = env(containers(deployment).get(0));
            assertThat(env.get("TAGSTREAM_BOOTSTRAP_SERVERS").path("value").asText()).endsWith(":9093");
            assertThat(env.get("TAGSTREAM_CLIENT_SECURITY_PROTOCOL").path("value").asText()).isEqualTo("SASL_SSL");
            assertThat(env.get("TAGSTREAM_CLIENT_SASL_MECHANISM").path("value").asText()).isEqualTo("SCRAM-SHA-512");
            JsonNode jaas = env.get("TAGSTREAM_CLIENT_SASL_JAAS_CONFIG").path("valueFrom").path("secretKeyRef");
            assertThat(jaas.path("name").asText()).isEqualTo("tagstream-" + app);
            assertThat(jaas.path("key").asText()).isEqualTo("sasl.jaas.config");
        }
        JsonNode registry = Kustomize.named(objects, "Deployment", "registry");
        assertThat(env(containers(registry).get(0)).get("KAFKA_BOOTSTRAP_SERVERS").path("value").asText()).endsWith(":9093");
        for (JsonNode o : objects) {
            assertThat(o.path("kind").asText().equals("Namespace") || o.path("metadata").path("namespace").asText().equals("tagstream"))
                    .isTrue();
        }
    }

    /** The KafkaConnect's plugins are the directories connectors/plugin-path assembles, one image each. */
    @Test
    void connectMountsEveryPluginOfThePluginPath() throws IOException {
        Set<String> expected = new HashSet<>(Set.of("apicurio-avro-converter"));
        String pom = Repo.read(Repo.path("connectors/plugin-path/pom.xml"));
        var dependency = Pattern.compile("<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>"
                + "(?:\\s*<version>[^<]*</version>)?\\s*<classifier>plugin</classifier>").matcher(pom);
        while (dependency.find()) {
            expected.add(dependency.group(2));
        }
        assertThat(expected).as("plugins of connectors/plugin-path/pom.xml").contains("debezium-connector-postgres",
                "debezium-connector-jdbc", "tagstream-modbus-source", "tagstream-http-source", "tagstream-postgres-copy-sink");
        Path built = Repo.path("connectors/plugin-path/target/plugin-path");
        if (Files.isDirectory(built)) {
            try (Stream<Path> dirs = Files.list(built)) {
                Set<String> directories = new HashSet<>();
                dirs.filter(Files::isDirectory).forEach(d -> directories.add(d.getFileName().toString()));
                assertThat(directories).as("built plugin path").isEqualTo(expected);
            }
        }
        JsonNode connect = Kustomize.named(Kustomize.render("k8s/base"), "KafkaConnect", "tagstream-connect");
        Set<String> mounted = new HashSet<>();
        for (JsonNode plugin : connect.path("spec").path("plugins")) {
            String name = plugin.path("name").asText();
            mounted.add(name);
            assertThat(plugin.path("artifacts").get(0).path("reference").asText())
                    .startsWith("tagstream/connect-plugin-" + name + ":");
        }
        assertThat(mounted).isEqualTo(expected);
        assertThat(connect.path("spec").path("config").path("exactly.once.source.support").asText()).isEqualTo("enabled");
        assertThat(connect.path("spec").path("config").path("config.providers").asText()).contains("file");
    }

    static String mainClass(String app) {
        return "io.tagstream." + app + "." + Character.toUpperCase(app.charAt(0)) + app.substring(1) + "App";
    }

    static List<JsonNode> containers(JsonNode object) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode spec = object.path("spec").path("template").path("spec");
        spec.path("initContainers").forEach(out::add);
        spec.path("containers").forEach(out::add);
        return out;
    }

    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }
}
