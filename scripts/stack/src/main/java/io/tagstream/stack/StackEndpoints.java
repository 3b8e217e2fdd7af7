package io.tagstream.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Where a running stack can be reached: what clients, tests and the README need. */
public final class StackEndpoints {

    public static final String POSTGRES_SUPERUSER = "postgres.superuser";
    public static final String POSTGRES_PASSWORD = "postgres.superuser.password";
    public static final String DATABASE = "tagstream";

    private final Path home;
    private final Map<String, String> state;

    StackEndpoints(Path home, Map<String, String> state) {
        this.home = home;
        this.state = Map.copyOf(state);
    }

    /** Reads the endpoints of the stack whose home directory is given. */
    public static StackEndpoints read(Path home) throws IOException {
        Map<String, String> state = Stack.load(home);
        if (!state.containsKey(StackConfig.KAFKA_PORT)) {
            throw new IOException("no stack state in " + home.resolve(Stack.STATE_FILE) + "; is the stack up?");
        }
        return new StackEndpoints(home, state);
    }

    public Path home() {
        return home;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port(StackConfig.KAFKA_PORT);
    }

    public String registryUrl() {
        return "http://127.0.0.1:" + port(StackConfig.REGISTRY_PORT);
    }

    /** Apicurio's native v2 API, the one its serdes are configured with. */
    public String registryApiUrl() {
        return registryUrl() + "/apis/registry/v2";
    }

    /** The Confluent-compatible API: what Confluent clients and tools talk to. */
    public String confluentCompatibleUrl() {
        return registryUrl() + "/apis/ccompat/v7";
    }

    public String connectUrl() {
        return "http://127.0.0.1:" + port(StackConfig.CONNECT_PORT);
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port(StackConfig.POSTGRES_PORT) + "/" + database;
    }

    public int postgresPort() {
        return port(StackConfig.POSTGRES_PORT);
    }

    public String postgresSuperuser() {
        return state.getOrDefault(POSTGRES_SUPERUSER, "postgres");
    }

    public String postgresPassword() {
        return state.get(POSTGRES_PASSWORD);
    }

    private int port(String option) {
        String value = state.get(option);
        if (value == null) {
            throw new IllegalStateException("the stack in " + home + " has no " + option);
        }
        return Integer.parseInt(value);
    }
}
