package io.tagstream.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Starts, checks and stops the stack's components as real processes. {@code up} starts only what is not
 * already running and waits until everything is ready; {@code down} stops exactly the processes
 * recorded in the pid files, newest first.
 */
public final class LocalStack {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final StackConfig config;
    private final Path repo;
    private final Path home;
    private final ProcessTable processes;
    private final List<Component> components;

    private LocalStack(StackConfig config, Path repo, List<Component> components) {
        this.config = config;
        this.repo = repo.toAbsolutePath().normalize();
        this.home = config.home(this.repo);
        this.processes = new ProcessTable(home.resolve("run"), home.resolve("logs"));
        this.components = inProfile(components, config.getString(StackConfig.PROFILE));
    }

    private static List<Component> inProfile(List<Component> components, String profile) {
        return components.stream()
                .filter(c -> StackConfig.PROFILE_PLATFORM.equals(profile) || c.tier() == Component.Tier.INFRASTRUCTURE)
                .toList();
    }

    /** What {@code status} checks: the components of the profile the stack was started with. */
    private List<Component> startedComponents(Map<String, String> state) {
        String profile = state.get(StackConfig.PROFILE);
        return profile == null ? components : inProfile(StackComponents.ALL, profile);
    }

    public static LocalStack create(StackConfig config, Path repo) {
        return new LocalStack(config, repo, StackComponents.ALL);
    }

    public Path home() {
        return home;
    }

    /** Starts every component that is not running, waits until all are ready, and returns the endpoints. */
    public StackEndpoints up(PrintStream out) throws StackException {
        try (HomeLock ignored = lock()) {
            return doUp(out);
        } catch (IOException e) {
            throw new StackException("cannot use the stack home " + home + ": " + e.getMessage(), e);
        }
    }

    private StackEndpoints doUp(PrintStream out) throws StackException, IOException {
        Files.createDirectories(home.resolve("logs"));
        Map<String, String> state = Stack.load(home);
        Map<String, ProcessHandle> alreadyRunning = new LinkedHashMap<>();
        for (Component component : components) {
            processes.running(component.name()).ifPresent(p -> alreadyRunning.put(component.name(), p));
        }
        resolvePorts(state, !alreadyRunning.isEmpty());
        state.put(StackConfig.PROFILE, config.getString(StackConfig.PROFILE));
        Stack stack = new Stack(config, repo, home, state);
        stack.save();

        List<String> portProblems = new ArrayList<>();
        for (Component component : components) {
            if (alreadyRunning.containsKey(component.name())) {
                continue;
            }
            for (String option : component.ports()) {
                int port = stack.port(option);
                if (!portFree(port)) {
                    portProblems.add("port " + port + " on 127.0.0.1 is already in use; the " + component.description()
                            + " needs it (option " + option + ", environment " + StackConfig.environmentVariable(option) + ")");
                }
            }
        }
        if (!portProblems.isEmpty()) {
            throw new StackException(String.join("\n", portProblems));
        }

        long startedAt = System.nanoTime();
        Duration timeout = Duration.ofSeconds(config.getInt(StackConfig.STARTUP_TIMEOUT_S));
        Map<String, CompletableFuture<Void>> ready = new HashMap<>();
        List<String> startedNow = Collections.synchronizedList(new ArrayList<>());
        for (Component component : components) {
            List<CompletableFuture<Void>> dependencies = new ArrayList<>();
            for (String dependency : component.dependsOn()) {
                CompletableFuture<Void> future = ready.get(dependency);
                if (future == null) {
                    throw new IllegalStateException(component.name() + " depends on " + dependency
                            + ", which is not before it in StackComponents.ALL");
                }
                dependencies.add(future);
            }
            ready.put(component.name(), CompletableFuture.allOf(dependencies.toArray(CompletableFuture[]::new))
                    .thenRunAsync(() -> bringUp(stack, component, alreadyRunning.get(component.name()), timeout,
                            startedNow, out)));
        }
        try {
            CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            List<String> problems = new ArrayList<>();
            ready.values().stream().filter(CompletableFuture::isCompletedExceptionally).forEach(f -> {
                try {
                    f.join();
                } catch (CompletionException failure) {
                    Throwable cause = failure.getCause();
                    String message = cause instanceof UncheckedStackException u ? u.getCause().getMessage()
                            : KafkaBroker.rootMessage(cause);
                    if (!problems.contains(message)) {
                        problems.add(message);
                    }
                }
            });
            stopStarted(startedNow, out);
            throw new StackException(String.join("\n", problems));
        }
        if (components.stream().anyMatch(c -> c.name().equals(ConnectWorker.NAME))) {
            try {
                ConnectWorker.awaitConnectorsRunning(stack, timeout, line -> say(out, line));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for the connectors", e);
            }
        }
        // everything again, at once: an app that was ready a minute ago may have died since
        List<String> problems = new ArrayList<>();
        // not status's short budget: a slow answer on a busy machine is not a failed start
        for (Map.Entry<Component, Health> entry : probeAll(stack, components, Duration.ofSeconds(15)).entrySet()) {
            if (!entry.getValue().up()) {
                problems.add(entry.getKey().name() + ": " + entry.getValue().summary()
                        + logTail(entry.getKey(), "\n    "));
            }
        }
        if (!problems.isEmpty()) {
            throw new StackException("not everything is running after start-up (the stack is left as it is; "
                    + "`scripts/tagstream status` shows it, `up` again retries):\n  " + String.join("\n  ", problems));
        }
        say(out, String.format("all %d components ready and running in %.1f s", components.size(),
                (System.nanoTime() - startedAt) / 1e9));
        return stack.endpoints();
    }

    private void bringUp(Stack stack, Component component, ProcessHandle running, Duration timeout,
                         List<String> startedNow, PrintStream out) {
        long begin = System.nanoTime();
        try {
            if (running != null) {
                say(out, component.name() + ": already running (pid " + running.pid() + ")");
            } else {
                component.prepare(stack);
                ProcessHandle process = processes.start(component.name(), component.process(stack));
                startedNow.add(component.name());
                say(out, component.name() + ": started " + component.description() + " (pid " + process.pid() + ")");
            }
            awaitReady(stack, component, timeout);
            component.onReady(stack);
            long pid = processes.running(component.name()).map(ProcessHandle::pid).orElse(-1L);
            long rss = processes.running(component.name()).map(ProcessTable::residentMebibytes).orElse(-1L);
            say(out, String.format("%s: ready after %.1f s, %d MiB resident (pid %d)", component.name(),
                    (System.nanoTime() - begin) / 1e9, rss, pid));
        } catch (UncheckedStackException e) {
            throw e;
        } catch (Exception e) {
            String message = e instanceof StackException ? e.getMessage()
                    : component.name() + ": " + KafkaBroker.rootMessage(e);
            throw new UncheckedStackException(new StackException(message, e));
        }
    }

    private void awaitReady(Stack stack, Component component, Duration timeout) throws StackException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Health last = Health.down("not probed yet");
        while (System.nanoTime() < deadline) {
            if (processes.running(component.name()).isEmpty()) {
                throw new StackException(component.name() + ": the process exited during start-up." + logTail(component, "\n    "));
            }
            last = component.readiness(stack);
            if (last.up()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new StackException(component.name() + ": not ready after " + timeout.toSeconds() + " s ("
                + StackConfig.STARTUP_TIMEOUT_S + "); last check: " + last.summary() + logTail(component, "\n    "));
    }

    private void stopStarted(List<String> startedNow, PrintStream out) {
        List<String> reversed = new ArrayList<>(startedNow);
        Collections.reverse(reversed);
        for (String name : reversed) {
            try {
                if (processes.stop(name, STOP_TIMEOUT)) {
                    say(out, name + ": stopped (start-up failed elsewhere)");
                }
            } catch (IOException | InterruptedException e) {
                say(out, name + ": could not stop: " + e.getMessage());
            }
        }
    }

    /** Prints each component's health; true when everything is up. */
    public boolean status(PrintStream out) throws StackException {
        return status(out, false);
    }

    /**
     * Each component's health, probed all at once with short timeouts (the whole command takes a few
     * seconds at most, even with a component hung); as text, or as one JSON document. True when all is up.
     */
    public boolean status(PrintStream out, boolean json) throws StackException {
        Map<String, String> state;
        try {
            state = Stack.load(home);
        } catch (IOException e) {
            throw new StackException("cannot read " + home.resolve(Stack.STATE_FILE) + ": " + e.getMessage(), e);
        }
        if (!state.containsKey(StackConfig.KAFKA_PORT)) {
            if (json) {
                ObjectNode root = JsonHttp.mapper().createObjectNode();
                root.put("home", home.toString());
                root.put("healthy", false);
                root.put("error", "no stack in " + home);
                out.println(root.toPrettyString());
            } else {
                out.println("no stack in " + home + " (run scripts/tagstream up)");
            }
            return false;
        }
        Stack stack = new Stack(config, repo, home, state);
        long begin = System.nanoTime();
        Map<Component, Health> healths = probeAll(stack, startedComponents(state),
                Duration.ofMillis(config.getInt(StackConfig.STATUS_PROBE_TIMEOUT_MS)));
        boolean allUp = healths.values().stream().allMatch(Health::up);
        double seconds = (System.nanoTime() - begin) / 1e9;
        if (json) {
            ObjectNode root = JsonHttp.mapper().createObjectNode();
            root.put("home", home.toString());
            root.put("healthy", allUp);
            root.put("probe_seconds", Math.round(seconds * 100) / 100.0);
            ArrayNode list = root.putArray("components");
            healths.forEach((component, health) -> {
                ObjectNode node = list.addObject();
                node.put("name", component.name());
                node.put("description", component.description());
                node.put("up", health.up());
                node.put("summary", health.summary());
                health.details().forEach(node.putArray("details")::add);
                processes.running(component.name()).ifPresent(p -> {
                    node.put("pid", p.pid());
                    node.put("resident_mib", ProcessTable.residentMebibytes(p));
                    node.put("uptime", uptime(p));
                });
                node.set("facts", JsonHttp.mapper().valueToTree(health.facts()));
            });
            out.println(root.toPrettyString());
            return allUp;
        }
        healths.forEach((component, health) -> {
            String processInfo = processes.running(component.name()).map(p -> String.format(" [pid %d, %d MiB resident, up %s]",
                    p.pid(), ProcessTable.residentMebibytes(p), uptime(p))).orElse("");
            out.printf("%-4s %-9s %s%s%n", health.up() ? "UP" : "DOWN", component.name(), health.summary(), processInfo);
            for (String detail : health.details()) {
                out.println("               " + detail);
            }
        });
        out.println(allUp ? "stack healthy (" + home + ")" : "stack NOT healthy (" + home + "); logs in " + home.resolve("logs"));
        return allUp;
    }

    /**
     * Every component's probe in parallel, all bounded by {@code budget} ({@code status}:
     * {@link StackConfig#STATUS_PROBE_TIMEOUT_MS}). A component that needs the
     * broker is not up while the broker is down, whatever its own (possibly stale) view says.
     */
    private Map<Component, Health> probeAll(Stack stack, List<Component> list, Duration budget) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, list.size()), runnable -> {
            Thread thread = new Thread(runnable, "probe");
            thread.setDaemon(true);
            return thread;
        });
        Map<Component, Future<Health>> futures = new LinkedHashMap<>();
        for (Component component : list) {
            futures.put(component, pool.submit(() -> processes.running(component.name()).isPresent() ? component.probe(stack)
                    : Health.down("not running (no live process of this stack; log " + processes.logFile(component.name()) + ")")));
        }
        long deadline = System.nanoTime() + budget.toNanos();
        Map<Component, Health> healths = new LinkedHashMap<>();
        futures.forEach((component, future) -> {
            Health health;
            try {
                health = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                health = Health.down("no answer within " + budget.toMillis() + " ms (" + StackConfig.STATUS_PROBE_TIMEOUT_MS + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                health = Health.down("interrupted");
            } catch (ExecutionException e) {
                health = Health.down("probe failed: " + KafkaBroker.rootMessage(e));
            }
            healths.put(component, health);
        });
        pool.shutdownNow();
        Health broker = healths.entrySet().stream().filter(e -> e.getKey().name().equals(KafkaBroker.NAME))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (broker != null && !broker.up()) {
            healths.replaceAll((component, health) -> health.up() && component.dependsOn().contains(KafkaBroker.NAME)
                    ? health.downBecause("the broker is down: this component cannot work and its own view is stale")
                    : health);
        }
        return healths;
    }

    /** The last lines of a component's log, ANSI colour codes removed, for error messages. */
    private String logTail(Component component, String indent) {
        List<String> lines = processes.logTail(component.name(), 15).stream()
                .map(line -> ANSI_ESCAPE.matcher(line).replaceAll("")).toList();
        return lines.isEmpty() ? " (log " + processes.logFile(component.name()) + " is empty)"
                : indent + "last lines of " + processes.logFile(component.name()) + ":" + indent + "  "
                + String.join(indent + "  ", lines);
    }

    private static final java.util.regex.Pattern ANSI_ESCAPE = java.util.regex.Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");

    /** Stops exactly what the pid files of this home name, last-started first. */
    public void down(PrintStream out, boolean purge) throws StackException {
        down(out, purge, List.of());
    }

    /**
     * Stops the named components (all when none are named), last-started first. Stopping only some is how
     * a developer restarts one process: {@code down connect} then {@code up}.
     */
    public void down(PrintStream out, boolean purge, List<String> only) throws StackException {
        for (String name : only) {
            if (StackComponents.ALL.stream().noneMatch(c -> c.name().equals(name))) {
                throw new StackException("no component named " + name + "; components: "
                        + StackComponents.ALL.stream().map(Component::name).toList());
            }
        }
        if (purge && !only.isEmpty()) {
            throw new StackException("--purge removes the whole stack; it cannot be combined with component names");
        }
        try (HomeLock ignored = lock()) {
            List<Component> reversed = new ArrayList<>(StackComponents.ALL);
            Collections.reverse(reversed);
            for (Component component : reversed) {
                if (!only.isEmpty() && !only.contains(component.name())) {
                    continue;
                }
                Optional<ProcessHandle> running = processes.running(component.name());
                if (processes.stop(component.name(), STOP_TIMEOUT)) {
                    say(out, component.name() + ": stopped (pid " + running.map(ProcessHandle::pid).orElse(-1L) + ")");
                }
            }
        } catch (IOException e) {
            throw new StackException("cannot stop the stack in " + home + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while stopping the stack", e);
        }
        List<String> leftovers = only.isEmpty() ? ProcessTable.processesMentioning(home) : List.of();
        if (!leftovers.isEmpty()) {
            throw new StackException("processes of this stack are still running after down:\n    "
                    + String.join("\n    ", leftovers));
        }
        if (purge) {
            deleteRecursively(home);
            say(out, "removed " + home);
        }
    }

    private void resolvePorts(Map<String, String> state, boolean keepRecorded) throws StackException {
        List<String> taken = new ArrayList<>();
        for (Component component : StackComponents.ALL) {
            for (String option : component.ports()) {
                String recorded = state.get(option);
                if (keepRecorded && recorded != null) {
                    taken.add(recorded);
                    continue;
                }
                int port = config.getInt(option);
                while (port == 0 || (config.getInt(option) == 0 && taken.contains(Integer.toString(port)))) {
                    port = freePort(); // auto: another free one if the system handed out one we already chose
                }
                if (taken.contains(Integer.toString(port))) {
                    throw new StackException("port " + port + " is configured twice (" + option + ", environment "
                            + StackConfig.environmentVariable(option) + ")");
                }
                taken.add(Integer.toString(port));
                state.put(option, Integer.toString(port));
            }
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One command at a time per home: two concurrent `up`s would start everything twice. */
    private HomeLock lock() throws IOException {
        Files.createDirectories(home);
        FileChannel channel = FileChannel.open(home.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IOException("another scripts/tagstream command is working on " + home);
        }
        return new HomeLock(channel, lock);
    }

    private record HomeLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            lock.release();
            channel.close();
        }
    }

    private static String uptime(ProcessHandle process) {
        return process.info().startInstant()
                .map(start -> Duration.between(start, java.time.Instant.now()))
                .map(d -> d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() + "m" + d.toSecondsPart() + "s")
                .orElse("?");
    }

    private static void deleteRecursively(Path root) throws StackException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new StackException("could not remove " + root + ": " + e.getMessage(), e);
        }
    }

    private static final Map<PrintStream, Object> PRINT_LOCKS = new ConcurrentHashMap<>();

    private static void say(PrintStream out, String line) {
        synchronized (PRINT_LOCKS.computeIfAbsent(out, o -> new Object())) {
            out.println(line);
            out.flush();
        }
    }

    private static final class UncheckedStackException extends RuntimeException {
        UncheckedStackException(StackException cause) {
            super(cause);
        }
    }
}
