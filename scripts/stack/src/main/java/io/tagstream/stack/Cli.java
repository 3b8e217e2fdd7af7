package io.tagstream.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/** {@code scripts/tagstream up|down|status|env|options}: the local stack from a terminal. */
public final class Cli {

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("usage: tagstream up [--ports auto] [--profile infrastructure] | status [--json] | down [--purge | component...] | env | options");
            return 2;
        }
        String command = args.get(0);
        if ("import-address-map".equals(command)) {
            try {
                StackConfig config = StackConfig.from(System.getenv(), Map.of());
                StackEndpoints endpoints = StackEndpoints.read(config.home(repo()));
                return DatabaseSchema.importAddressMap(repo(), endpoints, args.subList(1, args.size()));
            } catch (Exception e) {
                err.println("error: " + KafkaBroker.rootMessage(e));
                return 1;
            }
        }
        Map<String, String> overrides = new HashMap<>();
        boolean purge = false;
        boolean json = false;
        java.util.List<String> components = new java.util.ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--purge" -> purge = true;
                case "--json" -> json = true;
                case "--ports" -> {
                    String value = i + 1 < args.size() ? args.get(++i) : "";
                    if (!"auto".equals(value)) {
                        err.println("error: --ports takes only 'auto' (set single ports with TAGSTREAM_*_PORT)");
                        return 2;
                    }
                    for (Component component : StackComponents.ALL) {
                        component.ports().forEach(p -> overrides.put(p, "0"));
                    }
                }
                case "--profile" -> overrides.put(StackConfig.PROFILE, i + 1 < args.size() ? args.get(++i) : "");
                default -> {
                    if (arg.startsWith("-") || !"down".equals(command)) {
                        err.println("error: unknown argument " + arg);
                        return 2;
                    }
                    components.add(arg);
                }
            }
        }
        try {
            StackConfig config = StackConfig.from(System.getenv(), overrides);
            LocalStack stack = LocalStack.create(config, repo());
            switch (command) {
                case "up" -> {
                    StackEndpoints endpoints = stack.up(out);
                    printWhereToLook(out, endpoints);
                    return 0;
                }
                case "status" -> {
                    return stack.status(out, json) ? 0 : 1;
                }
                case "down" -> {
                    stack.down(out, purge, components);
                    return 0;
                }
                case "env" -> {
                    StackEndpoints endpoints = StackEndpoints.read(stack.home());
                    out.println("export TAGSTREAM_BOOTSTRAP_SERVERS=" + endpoints.bootstrapServers());
                    out.println("export TAGSTREAM_REGISTRY_URL=" + endpoints.registryUrl());
                    out.println("export TAGSTREAM_CONNECT_URL=" + endpoints.connectUrl());
                    out.println("export TAGSTREAM_JDBC_URL=" + endpoints.jdbcUrl());
                    return 0;
                }
                case "options" -> {
                    out.print(StackConfig.describeOptions());
                    return 0;
                }
                default -> {
                    err.println("error: unknown command " + command);
                    return 2;
                }
            }
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (StackException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("error: " + KafkaBroker.rootMessage(e));
            e.printStackTrace(err);
            return 1;
        }
    }

    static Path repo() {
        return Path.of(System.getProperty("tagstream.repo", ".")).toAbsolutePath().normalize();
    }

    private static void printWhereToLook(PrintStream out, StackEndpoints endpoints) {
        out.println();
        out.println("Tagstream is up. Where to look:");
        out.println("  Kafka bootstrap     " + endpoints.bootstrapServers()
                + "   (topics: " + String.join(", ", TopicCatalog.TOPICS.stream().map(TopicCatalog.TopicSpec::name).toList()) + ")");
        out.println("  Schema registry     " + endpoints.registryUrl() + "   (Confluent API: " + endpoints.confluentCompatibleUrl() + ")");
        out.println("  Kafka Connect REST  " + endpoints.connectUrl() + "   (curl " + endpoints.connectUrl() + "/connectors?expand=status)");
        out.println("  PostgreSQL          " + endpoints.jdbcUrl() + "   (user " + endpoints.postgresSuperuser()
                + ", password in " + endpoints.home().resolve(Stack.STATE_FILE) + ")");
        out.println("  Data and logs       " + endpoints.home() + "   (logs/<component>.log)");
        out.println("  Health              scripts/tagstream status");
        out.println("  Stop                scripts/tagstream down");
    }
}
