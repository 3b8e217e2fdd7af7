package io.tagstream.database;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DatabaseMigrationsTest {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TAGSTREAM_DB_URL", "jdbc:postgresql://127.0.0.1:5432/tagstream");
        env.put("TAGSTREAM_DB_ADMIN_USER", "postgres");
        env.put("TAGSTREAM_DB_INGEST_PASSWORD", "a");
        env.put("TAGSTREAM_DB_VIEWER_PASSWORD", "b");
        env.put("TAGSTREAM_DB_REPLICATOR_PASSWORD", "c");
        return env;
    }

    @Test
    void settingsNameTheBadVariable() {
        Map<String, String> env = env();
        env.put("TAGSTREAM_DB_URL", "jdbc:mysql://h/db");
        assertThatThrownBy(() -> DatabaseMigrations.Settings.fromEnvironment(env))
                .hasMessageContaining("TAGSTREAM_DB_URL=jdbc:mysql://h/db");

        Map<String, String> noViewer = env();
        noViewer.remove("TAGSTREAM_DB_VIEWER_PASSWORD");
        assertThatThrownBy(() -> DatabaseMigrations.Settings.fromEnvironment(noViewer))
                .hasMessageContaining("TAGSTREAM_DB_VIEWER_PASSWORD is not set");

        Map<String, String> quoted = env();
        quoted.put("TAGSTREAM_DB_INGEST_PASSWORD", "it's");
        assertThatThrownBy(() -> DatabaseMigrations.Settings.fromEnvironment(quoted))
                .hasMessageContaining("TAGSTREAM_DB_INGEST_PASSWORD");

        Map<String, String> retention = env();
        retention.put("TAGSTREAM_DB_READINGS_RETENTION_DAYS", "ninety");
        assertThatThrownBy(() -> DatabaseMigrations.Settings.fromEnvironment(retention))
                .hasMessageContaining("TAGSTREAM_DB_READINGS_RETENTION_DAYS=ninety");

        Map<String, String> shorter = env();
        shorter.put("TAGSTREAM_DB_READINGS_RETENTION_DAYS", "400");
        shorter.put("TAGSTREAM_DB_AGGREGATES_RETENTION_DAYS", "30");
        assertThatThrownBy(() -> DatabaseMigrations.Settings.fromEnvironment(shorter))
                .hasMessageContaining("TAGSTREAM_DB_AGGREGATES_RETENTION_DAYS=30");
    }
}
