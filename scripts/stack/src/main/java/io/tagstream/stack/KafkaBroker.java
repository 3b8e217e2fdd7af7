package io.tagstream.stack;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/** A single-node KRaft broker (broker and controller in one process), formatted on first start. */
final class KafkaBroker implements Component {

    static final String NAME = "kafka";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Kafka broker (KRaft, single node)";
    }

    @Override
    public List<String> ports() {
        return List.of(StackConfig.KAFKA_PORT, StackConfig.KAFKA_CONTROLLER_PORT);
    }

    @Override
    public void prepare(Stack stack) throws Exception {
        Path dir = stack.dataDirectory(NAME);
        Path logDirs = dir.resolve("data");
        Files.createDirectories(logDirs);
        int port = stack.port(StackConfig.KAFKA_PORT);
        int controllerPort = stack.port(StackConfig.KAFKA_CONTROLLER_PORT);
        String config = String.join("\n",
                "# written by the local stack at every start; edit StackConfig options instead",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDirs,
                // topics are declared deliberately (TopicCatalog); apps create their internal ones via admin
                "auto.create.topics.enable=false",
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=10",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "") ;
        Files.writeString(dir.resolve("server.properties"), config, StandardCharsets.UTF_8);
        JvmProcess.writeLoggingConfig(stack, NAME);

        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            String clusterId = Uuid.randomUuid().toString();
            List<String> format = new ArrayList<>(JvmProcess.javaCommand(stack, NAME, "128m"));
            format.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id", clusterId,
                    "--config", dir.resolve("server.properties").toString(), "--ignore-formatted"));
            Process process = new ProcessBuilder(format).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(stack.logDirectory().resolve(NAME + ".log").toFile()))
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage in " + logDirs + " failed; see "
                        + stack.logDirectory().resolve(NAME + ".log"));
            }
        }
    }

    @Override
    public ProcessSpec process(Stack stack) {
        List<String> command = new ArrayList<>(JvmProcess.javaCommand(stack, NAME, stack.config().getString(StackConfig.KAFKA_HEAP)));
        command.add("kafka.Kafka");
        command.add(stack.dataDirectory(NAME).resolve("server.properties").toString());
        return new ProcessSpec(command, Map.of(), stack.dataDirectory(NAME), JvmProcess.marker(stack, NAME),
                ProcessSpec.StopSignal.TERM);
    }

    /**
     * Whether the broker answers the Kafka protocol: an ApiVersions request on a plain socket, 1.5 s at most.
     * A killed broker refuses the connection at once. Written out by hand because the admin client costs a
     * second of CPU to load, and {@code status} must answer within seconds on a busy machine.
     */
    @Override
    public Health probe(Stack stack) {
        String bootstrap = stack.endpoints().bootstrapServers();
        try {
            int apis = BrokerPing.apiVersions(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    stack.port(StackConfig.KAFKA_PORT)), Duration.ofMillis(1500));
            return Health.up("broker answers at " + bootstrap + " (ApiVersions: " + apis + " APIs)")
                    .withFacts(Map.of("bootstrap", bootstrap, "api_count", apis));
        } catch (Exception e) {
            return Health.down("broker not reachable at " + bootstrap + ": " + rootMessage(e));
        }
    }

    @Override
    public void onReady(Stack stack) throws Exception {
        try (Admin admin = admin(stack.endpoints().bootstrapServers())) {
            TopicCatalog.ensure(admin);
        }
    }

    static Admin admin(String bootstrap) {
        return Admin.create(adminProperties(bootstrap));
    }

    private static Properties adminProperties(String bootstrap) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // Used at start-up (topics) and by tests, not by status: a 2-core machine busy starting a stack can
        // take longer than a few seconds to hand out metadata, and a start that fails on that is a false alarm.
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "tagstream-local-stack");
        return properties;
    }

    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
