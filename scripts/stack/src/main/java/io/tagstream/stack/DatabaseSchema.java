package io.tagstream.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Applies the storage schema (schemas/database, Flyway) the way every deployment does: one run of
 * io.tagstream.database.DatabaseMigrations as its own process. The role passwords are generated once
 * per stack, kept in the stack state and written to {@code <home>/secrets/database.properties}, which
 * connectors read through Connect's FileConfigProvider ({@code ${file:...:ingest.password}}).
 */
final class DatabaseSchema {

    static final List<String> ROLES = List.of("ingest", "viewer", "replicator");

    private DatabaseSchema() {
    }

    static Path secretsFile(Stack stack) {
        return stack.home().resolve("secrets/database.properties");
    }

    static void migrate(Stack stack) throws IOException, InterruptedException {
        Path target = stack.repo().resolve("schemas/database/target");
        Path jar = target.resolve("tagstream-database.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("database migrations not built: " + jar + " is missing (scripts/tagstream build)");
        }
        boolean generated = false;
        for (String role : ROLES) {
            if (stack.get(StackEndpoints.rolePasswordKey(role)) == null) {
                byte[] secret = new byte[18];
                new SecureRandom().nextBytes(secret);
                stack.put(StackEndpoints.rolePasswordKey(role), HexFormat.of().formatHex(secret));
                generated = true;
            }
        }
        if (generated) {
            stack.save();
        }
        writeSecrets(stack);

        StackEndpoints endpoints = stack.endpoints();
        Map<String, String> env = new HashMap<>();
        env.put("TAGSTREAM_DB_URL", endpoints.jdbcUrl());
        env.put("TAGSTREAM_DB_ADMIN_USER", endpoints.postgresSuperuser());
        env.put("TAGSTREAM_DB_ADMIN_PASSWORD", endpoints.postgresPassword());
        for (String role : ROLES) {
            env.put("TAGSTREAM_DB_" + role.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD", endpoints.rolePassword(role));
        }
        Path log = stack.logDirectory().resolve("migrations.log");
        ProcessBuilder builder = new ProcessBuilder(stack.javaCommand(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", jar + ":" + target.resolve("lib") + "/*", "io.tagstream.database.DatabaseMigrations")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("database migrations did not finish within 120 s; see " + log);
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            throw new IllegalStateException("database migrations failed; last lines of " + log + ":\n    "
                    + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
    }

    /**
     * Loads the demo plant's address map into the ops tables (the platform profile's demo), output in
     * logs/address-map-import.log. The import is an upsert, so running {@code up} again changes nothing.
     */
    static void importDemoAddressMap(Stack stack) throws IOException, InterruptedException {
        Path map = stack.repo().resolve(ConnectorConfigs.DEMO_ADDRESS_MAP);
        if (!Files.isRegularFile(map)) {
            return;
        }
        Path target = stack.repo().resolve("schemas/database/target");
        Path log = stack.logDirectory().resolve("address-map-import.log");
        ProcessBuilder builder = new ProcessBuilder(stack.javaCommand(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", target.resolve("tagstream-database.jar") + ":" + target.resolve("lib") + "/*",
                "io.tagstream.database.AddressMapImport", map.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        StackEndpoints endpoints = stack.endpoints();
        builder.environment().put("TAGSTREAM_DB_URL", endpoints.jdbcUrl());
        builder.environment().put("TAGSTREAM_DB_USER", endpoints.postgresSuperuser());
        builder.environment().put("TAGSTREAM_DB_PASSWORD", endpoints.postgresPassword());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("demo address-map import did not finish within 60 s; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("demo address-map import of " + map + " failed; see " + log);
        }
    }

    /**
     * Runs the address-map import (io.tagstream.database.AddressMapImport) against this stack's database,
     * with the terminal attached; returns its exit code.
     */
    static int importAddressMap(Path repo, StackEndpoints endpoints, List<String> args) throws IOException, InterruptedException {
        Path target = repo.resolve("schemas/database/target");
        List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", target.resolve("tagstream-database.jar") + ":" + target.resolve("lib") + "/*",
                "io.tagstream.database.AddressMapImport"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("TAGSTREAM_DB_URL", endpoints.jdbcUrl());
        builder.environment().put("TAGSTREAM_DB_USER", endpoints.postgresSuperuser());
        builder.environment().put("TAGSTREAM_DB_PASSWORD", endpoints.postgresPassword());
        return builder.start().waitFor();
    }

    private static void writeSecrets(Stack stack) throws IOException {
        Path file = secretsFile(stack);
        Files.createDirectories(file.getParent());
        StringBuilder content = new StringBuilder("# database credentials of this stack, for ${file:...} references\n");
        for (String role : ROLES) {
            content.append(role).append(".user=").append(role).append('\n');
            content.append(role).append(".password=").append(stack.get(StackEndpoints.rolePasswordKey(role))).append('\n');
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: nothing to tighten
        }
    }
}
