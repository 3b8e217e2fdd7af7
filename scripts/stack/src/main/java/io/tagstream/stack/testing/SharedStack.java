package io.tagstream.stack.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.tagstream.stack.Component;
import io.tagstream.stack.LocalStack;
import io.tagstream.stack.StackComponents;
import io.tagstream.stack.StackConfig;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.StackException;

/**
 * The one real stack (broker, registry, PostgreSQL, Connect worker) that integration tests share.
 *
 * <p>{@code scripts/tagstream test} starts one stack for the whole test run and names its home in
 * {@value #HOME_VARIABLE}; every test JVM of every module then uses that one. Without the variable (a
 * test run from an IDE) the first call starts a private stack on free ports under {@code target/} and
 * stops it when the JVM exits.
 */
public final class SharedStack {

    public static final String HOME_VARIABLE = "TAGSTREAM_TEST_STACK";

    private static StackEndpoints endpoints;

    private SharedStack() {
    }

    public static synchronized StackEndpoints get() {
        if (endpoints != null) {
            return endpoints;
        }
        String shared = System.getenv(HOME_VARIABLE);
        try {
            if (shared != null && !shared.isBlank()) {
                endpoints = StackEndpoints.read(Path.of(shared));
            } else {
                endpoints = startPrivateStack();
            }
            return endpoints;
        } catch (IOException | StackException e) {
            throw new IllegalStateException("no test stack: " + e.getMessage(), e);
        }
    }

    private static StackEndpoints startPrivateStack() throws StackException, IOException {
        Path repo = findRepo();
        Path home = repo.resolve("target/test-stack-" + ProcessHandle.current().pid());
        Map<String, String> overrides = new HashMap<>();
        overrides.put(StackConfig.HOME, home.toString());
        overrides.put(StackConfig.PROFILE, StackConfig.PROFILE_INFRASTRUCTURE);
        for (Component component : StackComponents.ALL) {
            component.ports().forEach(p -> overrides.put(p, "0"));
        }
        LocalStack stack = LocalStack.create(StackConfig.from(Map.of(), overrides), repo);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.down(System.out, true);
            } catch (StackException e) {
                System.err.println("could not stop the test stack in " + home + ": " + e.getMessage());
            }
        }, "test-stack-down"));
        return stack.up(System.out);
    }

    /** The repository root: the tagstream.repo property Maven sets, else the nearest parent with scripts/tagstream. */
    public static Path findRepo() {
        String property = System.getProperty("tagstream.repo");
        if (property != null && Files.isRegularFile(Path.of(property, "scripts/tagstream"))) {
            return Path.of(property).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/tagstream"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (scripts/tagstream) from " + Path.of("").toAbsolutePath());
    }
}
