package io.tagstream.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The resolved state of one stack: where it lives, which ports it uses and the secrets it generated.
 * Persisted to {@code <home>/stack.properties} so {@code status}, {@code down} and tests find a running
 * stack without knowing how it was configured.
 */
public final class Stack {

    public static final String STATE_FILE = "stack.properties";

    private final StackConfig config;
    private final Path repo;
    private final Path home;
    private final Map<String, String> state;

    Stack(StackConfig config, Path repo, Path home, Map<String, String> state) {
        this.config = config;
        this.repo = repo;
        this.home = home;
        this.state = new TreeMap<>(state);
    }

    public StackConfig config() {
        return config;
    }

    public Path repo() {
        return repo;
    }

    public Path home() {
        return home;
    }

    /** The data directory of a component. */
    public Path dataDirectory(String component) {
        return home.resolve(component);
    }

    public Path logDirectory() {
        return home.resolve("logs");
    }

    public int port(String option) {
        String value = state.get(option);
        if (value == null) {
            throw new IllegalStateException("port " + option + " has not been resolved");
        }
        return Integer.parseInt(value);
    }

    public String get(String key) {
        return state.get(key);
    }

    void put(String key, String value) {
        state.put(key, value);
    }

    Map<String, String> state() {
        return Map.copyOf(state);
    }

    /** Where the processes find the Java launcher's classpath (also the broker's and the worker's). */
    public Path kafkaLibraries() {
        return repo.resolve("scripts/stack/target/lib");
    }

    public String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    public StackEndpoints endpoints() {
        return new StackEndpoints(home, state);
    }

    void save() throws IOException {
        Files.createDirectories(home);
        Path file = home.resolve(STATE_FILE);
        Path temporary = home.resolve(STATE_FILE + ".tmp");
        Properties properties = new Properties();
        properties.putAll(state);
        try (OutputStream out = Files.newOutputStream(temporary)) {
            properties.store(out, "Tagstream local stack: resolved ports and generated secrets (keep private)");
        }
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static Map<String, String> load(Path home) throws IOException {
        Path file = home.resolve(STATE_FILE);
        Map<String, String> values = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
            properties.forEach((k, v) -> values.put(k.toString(), v.toString()));
        }
        return values;
    }
}
