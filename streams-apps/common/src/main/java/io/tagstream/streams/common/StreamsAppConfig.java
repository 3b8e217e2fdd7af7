package io.tagstream.streams.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The options every Tagstream Streams app has, documented once. An app adds its own options to
 * {@link #baseDefinition} and reads everything through this class.
 *
 * <p>Values come from a properties file, then from environment variables: option {@code a.b} is
 * overridden by {@code TAGSTREAM_A_B}. Options starting with {@code streams.} are handed to Kafka Streams
 * without the prefix (tuning such as {@code streams.cache.max.bytes.buffering}); those come from the
 * file only. Everything is validated when the app starts, and a bad value fails with a message that
 * names the option and the value.
 */
public class StreamsAppConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String REGISTRY_URL = "registry.url";
    public static final String INPUT_TOPIC = "input.topic";
    public static final String OUTPUT_TOPIC = "output.topic";
    public static final String DLQ_TOPIC = "dlq.topic";
    public static final String STATE_DIR = "state.dir";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String HTTP_PORT = "http.port";
    public static final String ADDRESS_MAP_PATH = "address.map.path";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";

    /** Prefix of options passed through to Kafka Streams unchanged (minus the prefix). */
    public static final String STREAMS_PREFIX = "streams.";
    public static final String ENVIRONMENT_PREFIX = "TAGSTREAM_";

    /** The address map the connectors read; relative paths resolve against the working directory. */
    public static final String DEFAULT_ADDRESS_MAP = "connectors/config/address-map.csv";

    public StreamsAppConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals, false);
    }

    /** The options every app shares; the defaults that differ per app are parameters. */
    public static ConfigDef baseDefinition(String applicationId, String inputTopic, String outputTopic, String dlqTopic) {
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "Kafka bootstrap servers, host:port[,host:port...].")
                .define(APPLICATION_ID, Type.STRING, applicationId, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Kafka Streams application.id: consumer group, prefix of internal topics and of the "
                                + "transactional ids. Two instances with the same id share the work.")
                .define(REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, httpUrl(), Importance.HIGH,
                        "Apicurio registry API (.../apis/registry/v2). Records are written in Confluent wire format.")
                .define(INPUT_TOPIC, Type.STRING, inputTopic, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Topic of Readings this app consumes (key site/device/tag).")
                .define(OUTPUT_TOPIC, Type.STRING, outputTopic, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Topic of Readings this app produces (same key).")
                .define(DLQ_TOPIC, Type.STRING, dlqTopic, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Dead-letter topic: records that cannot be read, processed or written go here as their "
                                + "original bytes with the reason in headers, and the app keeps going.")
                .define(STATE_DIR, Type.STRING, "state", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Directory of the local state stores (RocksDB). They are rebuilt from their changelog "
                                + "topics when missing.")
                .define(NUM_STREAM_THREADS, Type.INT, 1, ConfigDef.Range.between(1, 64), Importance.MEDIUM,
                        "Stream threads of this instance.")
                .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, ConfigDef.Range.between(1, 60_000), Importance.LOW,
                        "How often transactions commit (exactly_once_v2). Lower means lower end-to-end latency, "
                                + "higher means more throughput.")
                .define(HTTP_PORT, Type.INT, 0, ConfigDef.Range.between(0, 65535), Importance.MEDIUM,
                        "Port of the /health, /ready and /metrics endpoint, bound to 127.0.0.1. 0 picks a free port "
                                + "(logged at start).")
                .define(ADDRESS_MAP_PATH, Type.STRING, DEFAULT_ADDRESS_MAP, Importance.MEDIUM,
                        "Address map CSV with per-tag settings (period_ms, hi, lo, deadband, deadband_mode). When "
                                + "the file does not exist every tag uses the defaults of this app (logged once); "
                                + "when it exists but is invalid the app does not start. Empty means no map.")
                .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.between(1_000, 600_000), Importance.LOW,
                        "How long a graceful shutdown may take (commit, close stores) before the process exits.");
    }

    /**
     * Reads the options: the properties file (when given), then {@code TAGSTREAM_*} environment
     * variables. Validation happens when the result is turned into a config.
     */
    public static Map<String, Object> load(ConfigDef definition, Path propertiesFile, Map<String, String> environment) {
        Map<String, Object> values = new HashMap<>();
        if (propertiesFile != null) {
            if (!Files.isRegularFile(propertiesFile)) {
                throw new ConfigException("configuration file " + propertiesFile.toAbsolutePath() + " does not exist");
            }
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(propertiesFile)) {
                properties.load(in);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + propertiesFile + ": " + e.getMessage());
            }
            properties.forEach((key, value) -> values.put(key.toString(), value.toString().trim()));
        }
        for (String name : definition.names()) {
            String value = environment.get(environmentVariable(name));
            if (value != null) {
                values.put(name, value.trim());
            }
        }
        for (String key : values.keySet()) {
            if (!definition.names().contains(key) && !key.startsWith(STREAMS_PREFIX)) {
                throw new ConfigException("unknown option '" + key + "' (known: " + definition.names()
                        + ", or " + STREAMS_PREFIX + "<any Kafka Streams option>)");
            }
        }
        return values;
    }

    public static String environmentVariable(String option) {
        return ENVIRONMENT_PREFIX + option.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Kafka Streams options given with the {@code streams.} prefix, prefix removed. */
    public Map<String, Object> streamsOverrides() {
        return originalsWithPrefix(STREAMS_PREFIX, true);
    }

    /** Every option with its environment variable, default and documentation, for {@code --help}. */
    public static String describe(ConfigDef definition) {
        StringBuilder out = new StringBuilder();
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            Object defaultValue = key.hasDefault() ? key.defaultValue : "(required)";
            out.append(String.format("  %-26s %-34s default %s%n      %s%n", key.name, environmentVariable(key.name),
                    "".equals(defaultValue) ? "(empty)" : defaultValue, key.documentation));
        }
        out.append(String.format("  %-26s %s%n", STREAMS_PREFIX + "*",
                "any Kafka Streams option, passed through without the prefix (properties file only)"));
        return out.toString();
    }

    private static ConfigDef.Validator httpUrl() {
        return (name, value) -> {
            if (value == null || !value.toString().matches("https?://\\S+")) {
                throw new ConfigException(name, value, "expected an http(s) URL such as http://127.0.0.1:18081/apis/registry/v2");
            }
        };
    }
}
