package io.tagstream.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PostgreSQL from the operating system's packages, in its own data directory under the stack's home,
 * with wal_level=logical for Debezium. PostgreSQL refuses to run as root, so when the stack is started
 * by root the server runs as {@code postgres.os.user}. Password authentication only (scram-sha-256);
 * the generated superuser password is kept in the stack state, as is that of the schema registry's own
 * role and database (its storage), created here once the server is ready.
 */
final class PostgresServer implements Component {

    static final String NAME = "postgres";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "PostgreSQL (wal_level=logical)";
    }

    @Override
    public List<String> ports() {
        return List.of(StackConfig.POSTGRES_PORT);
    }

    @Override
    public void prepare(Stack stack) throws Exception {
        Path bin = binaries(stack);
        Path dir = stack.dataDirectory(NAME);
        Path data = dir.resolve("data");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (stack.get(StackEndpoints.POSTGRES_PASSWORD) == null) {
            byte[] secret = new byte[18];
            new SecureRandom().nextBytes(secret);
            stack.put(StackEndpoints.POSTGRES_SUPERUSER, "postgres");
            stack.put(StackEndpoints.POSTGRES_PASSWORD, HexFormat.of().formatHex(secret));
            stack.save();
        }
        String registryPassword = StackEndpoints.rolePasswordKey(SchemaRegistry.ROLE);
        if (stack.get(registryPassword) == null) {
            byte[] secret = new byte[18];
            new SecureRandom().nextBytes(secret);
            stack.put(registryPassword, HexFormat.of().formatHex(secret));
            stack.save();
        }
        chownToServerUser(stack, dir);

        if (!Files.exists(data.resolve("PG_VERSION"))) {
            Path passwordFile = dir.resolve("initdb.pwfile");
            Files.writeString(passwordFile, stack.get(StackEndpoints.POSTGRES_PASSWORD) + "\n", StandardCharsets.UTF_8);
            chownToServerUser(stack, passwordFile);
            List<String> initdb = asServerUser(stack, List.of(bin.resolve("initdb").toString(),
                    "--pgdata=" + data, "--username=postgres", "--pwfile=" + passwordFile,
                    "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale"));
            Process process = new ProcessBuilder(initdb).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(stack.logDirectory().resolve(NAME + ".log").toFile()))
                    .start();
            boolean finished = process.waitFor(180, TimeUnit.SECONDS);
            Files.deleteIfExists(passwordFile);
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException("initdb failed for " + data + "; see " + stack.logDirectory().resolve(NAME + ".log"));
            }
            Files.writeString(data.resolve("postgresql.conf"),
                    "\n# Tagstream local stack: per-start settings (port, WAL) live beside the data directory\n"
                            + "include = '../tagstream.conf'\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
        // rewritten at every start so a changed port takes effect
        Path settings = dir.resolve("tagstream.conf");
        List<String> timescale = timescaleInstalled(bin)
                // the migrations then build hypertables, compression and retention (V4, V8)
                ? List.of("shared_preload_libraries = 'timescaledb'", "timescaledb.telemetry_level = off")
                : List.of();
        Files.writeString(settings, String.join("\n", timescale) + "\n" + String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "port = " + stack.port(StackConfig.POSTGRES_PORT),
                // TCP only: socket paths under a deep home directory exceed the 107-byte limit
                "unix_socket_directories = ''",
                "wal_level = logical",
                "max_wal_senders = 10",
                "max_replication_slots = 10",
                "shared_buffers = 128MB",
                "max_connections = 100",
                "log_min_messages = warning",
                "log_line_prefix = '%m level=%e pid=%p db=%d user=%u '",
                ""), StandardCharsets.UTF_8);
        chownToServerUser(stack, settings);
    }

    @Override
    public ProcessSpec process(Stack stack) throws Exception {
        Path data = stack.dataDirectory(NAME).resolve("data");
        List<String> command = asServerUser(stack, List.of(binaries(stack).resolve("postgres").toString(),
                "-D", data.toString()));
        return new ProcessSpec(command, Map.of(), stack.dataDirectory(NAME), data.toString(), ProcessSpec.StopSignal.INT);
    }

    @Override
    public Health probe(Stack stack) {
        StackEndpoints endpoints = stack.endpoints();
        try (Connection connection = connect(endpoints, "postgres");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_setting('server_version'), current_setting('wal_level')")) {
            rs.next();
            String version = rs.getString(1);
            String walLevel = rs.getString(2);
            if (!"logical".equals(walLevel)) {
                return Health.down("PostgreSQL " + version + " accepts connections but wal_level=" + walLevel
                        + " (Debezium needs logical)");
            }
            return Health.up("PostgreSQL " + version + " accepting connections at " + endpoints.jdbcUrl()
                    + " (wal_level=logical)");
        } catch (Exception e) {
            return Health.down("PostgreSQL not accepting connections on 127.0.0.1:" + endpoints.postgresPort() + ": "
                    + KafkaBroker.rootMessage(e));
        }
    }

    @Override
    public void onReady(Stack stack) throws Exception {
        try (Connection connection = connect(stack.endpoints(), "postgres");
             Statement statement = connection.createStatement()) {
            ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + StackEndpoints.DATABASE + "'");
            if (!rs.next()) {
                statement.execute("CREATE DATABASE " + StackEndpoints.DATABASE);
            }
            createRegistryDatabase(statement, stack.endpoints().rolePassword(SchemaRegistry.ROLE));
        }
        DatabaseSchema.migrate(stack);
        if (StackConfig.PROFILE_PLATFORM.equals(stack.config().getString(StackConfig.PROFILE))) {
            DatabaseSchema.importDemoAddressMap(stack);
        }
    }

    /**
     * The schema registry's storage: its own login role and a database it owns (Apicurio creates its
     * tables there at first start). The password is set on every start so the role always matches the
     * stack state; it is generated hex, safe to inline.
     */
    private static void createRegistryDatabase(Statement statement, String password) throws java.sql.SQLException {
        String role = SchemaRegistry.ROLE;
        boolean roleExists;
        try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
            roleExists = rs.next();
        }
        statement.execute((roleExists ? "ALTER ROLE " : "CREATE ROLE ") + role + " LOGIN PASSWORD '" + password + "'");
        boolean databaseExists;
        try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + SchemaRegistry.DATABASE + "'")) {
            databaseExists = rs.next();
        }
        if (!databaseExists) {
            statement.execute("CREATE DATABASE " + SchemaRegistry.DATABASE + " OWNER " + role);
        }
    }

    static Connection connect(StackEndpoints endpoints, String database) throws java.sql.SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", endpoints.postgresSuperuser());
        properties.setProperty("password", endpoints.postgresPassword());
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(endpoints.jdbcUrl(database), properties);
    }

    /** TimescaleDB's library beside the server's (Debian's layout: bin/../lib): it is then preloaded and used. */
    static boolean timescaleInstalled(Path bin) {
        return Files.exists(bin.resolveSibling("lib").resolve("timescaledb.so"));
    }

    /** The server binaries: the configured directory, or the newest /usr/lib/postgresql/N/bin. */
    static Path binaries(Stack stack) throws IOException {
        String configured = stack.config().getString(StackConfig.POSTGRES_BIN_DIR);
        if (!configured.isBlank()) {
            Path bin = Path.of(configured);
            if (!Files.isExecutable(bin.resolve("postgres")) || !Files.isExecutable(bin.resolve("initdb"))) {
                throw new IllegalStateException(StackConfig.POSTGRES_BIN_DIR + "=" + configured
                        + " holds no postgres and initdb executables");
            }
            return bin;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                return versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(PostgresServer::majorVersion))
                        .orElseThrow(PostgresServer::missingServer);
            }
        }
        throw missingServer();
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static IllegalStateException missingServer() {
        return new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: install "
                + "Debian's postgresql-15 (scripts/tagstream does this when run as root) or set "
                + StackConfig.environmentVariable(StackConfig.POSTGRES_BIN_DIR));
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asServerUser(Stack stack, List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        String user = stack.config().getString(StackConfig.POSTGRES_OS_USER);
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + user, "--regid=" + user,
                "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void chownToServerUser(Stack stack, Path path) throws IOException {
        if (!runningAsRoot()) {
            return;
        }
        String user = stack.config().getString(StackConfig.POSTGRES_OS_USER);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        try {
            Files.setOwner(path, lookup.lookupPrincipalByName(user));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IllegalStateException(StackConfig.POSTGRES_OS_USER + "=" + user
                    + ": no such operating-system user (PostgreSQL cannot run as root)", e);
        }
    }
}
