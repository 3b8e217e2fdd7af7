package io.tagstream.stack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every option of the local stack, documented once. Each option {@code a.b} can be set by the
 * environment variable {@code TAGSTREAM_A_B}; bad values are rejected at start with a message that
 * names the option and the value.
 */
public final class StackConfig extends AbstractConfig {

    public static final String HOME = "home";
    public static final String KAFKA_PORT = "kafka.port";
    public static final String KAFKA_CONTROLLER_PORT = "kafka.controller.port";
    public static final String REGISTRY_PORT = "registry.port";
    public static final String CONNECT_PORT = "connect.port";
    public static final String POSTGRES_PORT = "postgres.port";
    public static final String DEADBAND_HTTP_PORT = "deadband.http.port";
    public static final String IMPUTATION_HTTP_PORT = "imputation.http.port";
    public static final String AGGREGATION_HTTP_PORT = "aggregation.http.port";
    public static final String ALERTS_HTTP_PORT = "alerts.http.port";
    public static final String KAFKA_HEAP = "kafka.heap";
    public static final String REGISTRY_HEAP = "registry.heap";
    public static final String CONNECT_HEAP = "connect.heap";
    public static final String POSTGRES_BIN_DIR = "postgres.bin.dir";
    public static final String POSTGRES_OS_USER = "postgres.os.user";
    public static final String STARTUP_TIMEOUT_S = "startup.timeout.s";
    public static final String STATUS_PROBE_TIMEOUT_MS = "status.probe.timeout.ms";
    public static final String SINK_IMPLEMENTATION = "sink.implementation";
    public static final String PROFILE = "profile";
    public static final String PROFILE_PLATFORM = "platform";
    public static final String PROFILE_INFRASTRUCTURE = "infrastructure";

    private static final String PORT_DOC_SUFFIX =
            " Bound to 127.0.0.1. 0 picks a free port when the stack starts (`up --ports auto` does this for all);"
                    + " a port in use stops `up` with a message naming this option.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(HOME, Type.STRING, "", Importance.HIGH,
                    "Directory holding all data, logs and pid files of the stack. Empty means <repo>/.tagstream.")
            .define(KAFKA_PORT, Type.INT, 19092, ConfigDef.Range.between(0, 65535), Importance.HIGH,
                    "Kafka broker listener for clients." + PORT_DOC_SUFFIX)
            .define(KAFKA_CONTROLLER_PORT, Type.INT, 19093, ConfigDef.Range.between(0, 65535), Importance.LOW,
                    "KRaft controller listener of the single-node broker." + PORT_DOC_SUFFIX)
            .define(REGISTRY_PORT, Type.INT, 18081, ConfigDef.Range.between(0, 65535), Importance.HIGH,
                    "Schema registry HTTP port (Confluent-compatible API under /apis/ccompat/v7)." + PORT_DOC_SUFFIX)
            .define(CONNECT_PORT, Type.INT, 18083, ConfigDef.Range.between(0, 65535), Importance.HIGH,
                    "Kafka Connect REST port." + PORT_DOC_SUFFIX)
            .define(POSTGRES_PORT, Type.INT, 15432, ConfigDef.Range.between(0, 65535), Importance.HIGH,
                    "PostgreSQL port." + PORT_DOC_SUFFIX)
            .define(WeatherApiSimulatorComponent.PORT, Type.INT, 18094, ConfigDef.Range.between(0, 65535), Importance.LOW, "Weather API simulator (KMA ASOS hourly) HTTP port." + PORT_DOC_SUFFIX)
            .define(ModbusSimulatorComponent.PORT, Type.INT, 15020, ConfigDef.Range.between(0, 65535), Importance.LOW, "Modbus TCP device simulator port." + PORT_DOC_SUFFIX)
            .define(DEADBAND_HTTP_PORT, Type.INT, 18091, ConfigDef.Range.between(0, 65535), Importance.LOW,
                    "HTTP port of the deadband Streams app (/health, /ready, /metrics)." + PORT_DOC_SUFFIX)
            .define(IMPUTATION_HTTP_PORT, Type.INT, 18092, ConfigDef.Range.between(0, 65535), Importance.LOW,
                    "HTTP port of the imputation Streams app (/health, /ready, /metrics)." + PORT_DOC_SUFFIX)
            .define(AGGREGATION_HTTP_PORT, Type.INT, 18093, ConfigDef.Range.between(0, 65535), Importance.LOW,
                    "HTTP port of the aggregation Streams app (/health, /ready, /metrics)." + PORT_DOC_SUFFIX)
            .define(ALERTS_HTTP_PORT, Type.INT, 18096, ConfigDef.Range.between(0, 65535), Importance.LOW,
                    "HTTP port of the alerts Streams app (/health, /ready, /metrics)." + PORT_DOC_SUFFIX)
            .define(KAFKA_HEAP, Type.STRING, "256m", heapSize(), Importance.LOW, "Maximum heap of the Kafka broker JVM.")
            .define(REGISTRY_HEAP, Type.STRING, "192m", heapSize(), Importance.LOW, "Maximum heap of the schema registry JVM.")
            .define(CONNECT_HEAP, Type.STRING, "384m", heapSize(), Importance.LOW, "Maximum heap of the Kafka Connect worker JVM.")
            .define(POSTGRES_BIN_DIR, Type.STRING, "", Importance.LOW,
                    "Directory with the PostgreSQL server binaries (postgres, initdb). Empty means the newest "
                            + "/usr/lib/postgresql/<version>/bin.")
            .define(POSTGRES_OS_USER, Type.STRING, "postgres", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Operating-system user PostgreSQL runs as when the stack is started by root "
                            + "(PostgreSQL refuses to run as root).")
            .define(PROFILE, Type.STRING, PROFILE_PLATFORM,
                    ConfigDef.ValidString.in(PROFILE_PLATFORM, PROFILE_INFRASTRUCTURE), Importance.MEDIUM,
                    "platform: everything, with demo data and the connectors of connectors/config registered. "
                            + "infrastructure: broker, registry, PostgreSQL and Connect only (what integration tests use).")
            .define(SINK_IMPLEMENTATION, Type.STRING, "copy", ConfigDef.ValidString.in("copy", "jdbc"), Importance.MEDIUM,
                    "Which database sinks the platform registers: copy (our PostgreSQL COPY sink, connectors/config/sinks/copy) "
                            + "or jdbc (Debezium's JDBC sink, connectors/config/sinks/jdbc). Same names and upsert semantics; "
                            + "switching keeps the committed offsets.")
            .define(STARTUP_TIMEOUT_S, Type.INT, 180, ConfigDef.Range.between(10, 3600), Importance.LOW,
                    "Seconds each component may take to become ready before `up` fails.")
            .define(STATUS_PROBE_TIMEOUT_MS, Type.INT, 2200, ConfigDef.Range.between(200, 60000), Importance.LOW,
                    "Milliseconds `status` waits for the answers of all components (probed at once) before it calls "
                            + "a silent one DOWN. Keeps `status` under 3 s; raise it on a machine so busy that healthy "
                            + "components answer slower.");

    public StackConfig(Map<String, ?> originals) {
        super(DEFINITION, originals, false);
    }

    /** Options from the environment ({@code TAGSTREAM_KAFKA_PORT} for {@code kafka.port}), then overrides. */
    public static StackConfig from(Map<String, String> environment, Map<String, String> overrides) {
        Map<String, Object> values = new HashMap<>();
        for (String name : DEFINITION.names()) {
            String value = environment.get(environmentVariable(name));
            if (value != null) {
                values.put(name, value.trim());
            }
        }
        values.putAll(overrides);
        return new StackConfig(values);
    }

    public static String environmentVariable(String option) {
        return "TAGSTREAM_" + option.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public Path home(Path repo) {
        String home = getString(HOME);
        return (home.isBlank() ? repo.resolve(".tagstream") : Path.of(home)).toAbsolutePath().normalize();
    }

    /** The documentation of every option, for {@code scripts/tagstream help}. */
    public static String describeOptions() {
        StringBuilder out = new StringBuilder();
        for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
            out.append(String.format("  %-24s %-34s default %s%n      %s%n", key.name, environmentVariable(key.name),
                    key.defaultValue == null || "".equals(key.defaultValue) ? "(none)" : key.defaultValue,
                    key.documentation));
        }
        return out.toString();
    }

    private static ConfigDef.Validator heapSize() {
        Pattern pattern = Pattern.compile("\\d+[mMgG]");
        return (name, value) -> {
            if (value == null || !pattern.matcher(value.toString()).matches()) {
                throw new ConfigException(name, value, "expected a JVM heap size such as 256m or 1g");
            }
        };
    }
}
