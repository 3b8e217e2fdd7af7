package io.tagstream.connect.pgcopy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Every option of the COPY sink, documented and validated once. */
public final class CopySinkConfig extends AbstractConfig {

    public static final String CONNECTION_URL = "connection.url";
    public static final String CONNECTION_USER = "connection.user";
    public static final String CONNECTION_PASSWORD = "connection.password";
    public static final String TABLE = "table";
    public static final String KEY_COLUMNS = "key.columns";
    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(CONNECTION_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
                if (value == null || !value.toString().startsWith("jdbc:postgresql://")) {
                    throw new ConfigException(name, value, "expected jdbc:postgresql://host:port/database");
                }
            }, Importance.HIGH, "JDBC URL of the PostgreSQL (or TimescaleDB) database.")
            .define(CONNECTION_USER, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Database role to write as (the platform uses ingest). Use a config provider reference.")
            .define(CONNECTION_PASSWORD, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Password of the role; reference a secret with a config provider (${file:...} or ${env:...}).")
            .define(TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
                String[] parts = value == null ? new String[0] : value.toString().split("\\.");
                if (parts.length != 2 || !IDENTIFIER.matcher(parts[0]).matches() || !IDENTIFIER.matcher(parts[1]).matches()) {
                    throw new ConfigException(name, value, "expected schema.table in lower case, e.g. telemetry.readings");
                }
            }, Importance.HIGH, "Target table, schema-qualified. Record fields map to columns of the same name.")
            .define(KEY_COLUMNS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
                @SuppressWarnings("unchecked")
                List<String> columns = (List<String>) value;
                if (columns == null || columns.isEmpty()) {
                    throw new ConfigException(name, value, "name the columns of the table's natural key (its unique index)");
                }
                for (String column : columns) {
                    if (!IDENTIFIER.matcher(column).matches()) {
                        throw new ConfigException(name, value, "'" + column + "' is not a lower-case column name");
                    }
                }
            }, Importance.HIGH, "The natural key: a redelivered record with the same key updates its row, never duplicates it. "
                    + "The table needs a unique index on exactly these columns.")
            .define(BATCH_MAX_ROWS, Type.INT, 50_000, ConfigDef.Range.between(1, 1_000_000), Importance.MEDIUM,
                    "Rows buffered before a COPY is forced; otherwise batches are written when Connect commits offsets.")
            .define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Retries of a batch on the writer thread after a lost connection; then the batch is read again from Kafka after "
                            + "retry.backoff.ms, as often as it takes: the task keeps running through a database outage.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 3000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Pause before retrying a batch after a lost connection.");

    public CopySinkConfig(Map<String, String> properties) {
        super(DEFINITION, properties);
    }

    public String url() {
        return getString(CONNECTION_URL);
    }

    public String user() {
        return getString(CONNECTION_USER);
    }

    public Password password() {
        return getPassword(CONNECTION_PASSWORD);
    }

    public String table() {
        return getString(TABLE);
    }

    public List<String> keyColumns() {
        return getList(KEY_COLUMNS);
    }
}
