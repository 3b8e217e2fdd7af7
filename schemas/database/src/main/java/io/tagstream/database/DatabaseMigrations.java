package io.tagstream.database;

import java.util.LinkedHashMap;

import java.util.Map;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the storage schema with Flyway. One entry point for every deployment: the local stack runs it
 * after PostgreSQL is up, compose as a one-shot service, Kubernetes as a Job. It runs as the database
 * owner (an administrator); the platform itself then uses the roles it creates: ingest, viewer,
 * replicator.
 *
 * <p>Configured by environment variables, validated before anything touches the database:
 * <pre>
 *   TAGSTREAM_DB_URL                      jdbc:postgresql://host:port/database
 *   TAGSTREAM_DB_ADMIN_USER / _PASSWORD   the owner that applies migrations
 *   TAGSTREAM_DB_INGEST_PASSWORD, TAGSTREAM_DB_VIEWER_PASSWORD, TAGSTREAM_DB_REPLICATOR_PASSWORD
 *   TAGSTREAM_DB_READINGS_RETENTION_DAYS   (default 90; TimescaleDB only)
 *   TAGSTREAM_DB_AGGREGATES_RETENTION_DAYS (default 1825; TimescaleDB only)
 *   TAGSTREAM_DB_COMPRESS_AFTER_DAYS       (default 7; TimescaleDB only)
 * </pre>
 */
public final class DatabaseMigrations {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://[^/]+/([A-Za-z0-9_]+)(\\?.*)?");

    /** Everything a migration run needs. Passwords end up in ALTER ROLE statements, never in files. */
    public record Settings(String jdbcUrl, String adminUser, String adminPassword, String ingestPassword,
                           String viewerPassword, String replicatorPassword, int readingsRetentionDays,
                           int aggregatesRetentionDays, int compressAfterDays) {

        public Settings {
            var matcher = JDBC_URL.matcher(jdbcUrl == null ? "" : jdbcUrl);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("TAGSTREAM_DB_URL=" + jdbcUrl
                        + ": expected jdbc:postgresql://host:port/database (database name of letters, digits, _)");
            }
            requireSecret("TAGSTREAM_DB_ADMIN_USER", adminUser);
            requireSecret("TAGSTREAM_DB_INGEST_PASSWORD", ingestPassword);
            requireSecret("TAGSTREAM_DB_VIEWER_PASSWORD", viewerPassword);
            requireSecret("TAGSTREAM_DB_REPLICATOR_PASSWORD", replicatorPassword);
            requirePositive("TAGSTREAM_DB_READINGS_RETENTION_DAYS", readingsRetentionDays);
            requirePositive("TAGSTREAM_DB_AGGREGATES_RETENTION_DAYS", aggregatesRetentionDays);
            requirePositive("TAGSTREAM_DB_COMPRESS_AFTER_DAYS", compressAfterDays);
            if (aggregatesRetentionDays < readingsRetentionDays) {
                throw new IllegalArgumentException("TAGSTREAM_DB_AGGREGATES_RETENTION_DAYS=" + aggregatesRetentionDays
                        + " is shorter than TAGSTREAM_DB_READINGS_RETENTION_DAYS=" + readingsRetentionDays
                        + "; aggregates are what is left of old readings");
            }
        }

        String database() {
            var matcher = JDBC_URL.matcher(jdbcUrl);
            matcher.matches();
            return matcher.group(1);
        }

        public static Settings fromEnvironment(Map<String, String> env) {
            return new Settings(env.get("TAGSTREAM_DB_URL"), env.get("TAGSTREAM_DB_ADMIN_USER"),
                    env.getOrDefault("TAGSTREAM_DB_ADMIN_PASSWORD", ""),
                    env.get("TAGSTREAM_DB_INGEST_PASSWORD"), env.get("TAGSTREAM_DB_VIEWER_PASSWORD"),
                    env.get("TAGSTREAM_DB_REPLICATOR_PASSWORD"),
                    days(env, "TAGSTREAM_DB_READINGS_RETENTION_DAYS", 90),
                    days(env, "TAGSTREAM_DB_AGGREGATES_RETENTION_DAYS", 1825),
                    days(env, "TAGSTREAM_DB_COMPRESS_AFTER_DAYS", 7));
        }

        private static int days(Map<String, String> env, String name, int defaultValue) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "=" + value + ": expected a whole number of days");
            }
        }

        private static void requireSecret(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " is not set");
            }
            if (value.contains("'") || value.contains("\\")) {
                throw new IllegalArgumentException(name + " must not contain quotes or backslashes");
            }
        }

        private static void requirePositive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + "=" + value + ": must be positive");
            }
        }
    }

    private DatabaseMigrations() {
    }

    public static MigrateResult migrate(Settings settings) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        placeholders.put("database", settings.database());
        placeholders.put("ingest_password", settings.ingestPassword());
        placeholders.put("viewer_password", settings.viewerPassword());
        placeholders.put("replicator_password", settings.replicatorPassword());
        placeholders.put("readings_retention_days", Integer.toString(settings.readingsRetentionDays()));
        placeholders.put("aggregates_retention_days", Integer.toString(settings.aggregatesRetentionDays()));
        placeholders.put("compress_after_days", Integer.toString(settings.compressAfterDays()));
        Flyway flyway = Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.adminUser(), settings.adminPassword())
                .locations("classpath:db/migration", "classpath:db/callback")
                .placeholders(placeholders)
                // Flyway's own history lives beside the data it describes, not in public
                .defaultSchema("telemetry")
                .schemas("telemetry", "alerts")
                .createSchemas(true)
                .connectRetries(10)
                .validateMigrationNaming(true)
                .load();
        return flyway.migrate();
    }

    public static void main(String[] args) {
        try {
            Settings settings = Settings.fromEnvironment(System.getenv());
            MigrateResult result = migrate(settings);
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
            System.out.println("database " + settings.database() + " at schema version " + version
                    + " (" + result.migrationsExecuted + " migrations applied now"
                    + (result.migrationsExecuted == 0 ? ", already up to date" : "") + ")");
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("error: migration failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The migration files, for documentation and tests. */
}
