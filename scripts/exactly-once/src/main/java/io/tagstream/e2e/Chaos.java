package io.tagstream.e2e;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;

import io.tagstream.stack.LocalStack;
import io.tagstream.stack.StackConfig;

/**
 * Kills components of the running stack with SIGKILL at random moments and starts them again through the
 * stack launcher, the way a power cut or an OOM killer would. Every target is hit at least once (a shuffled
 * round over the targets, then random picks); the next kill waits a random pause after the previous
 * component is back.
 */
final class Chaos implements Runnable {

    /** One kill: what, when, and how long the launcher took to bring it back. */
    record Kill(String component, long pid, Instant at, Duration restart, String problem) {
    }

    private final Path home;
    private final Path repo;
    private final List<String> targets;
    private final int kills;
    private final Duration minPause;
    private final Duration maxPause;
    private final Random random;
    private final BooleanSupplier stop;
    private final PrintStream log;
    private final List<Kill> done = Collections.synchronizedList(new ArrayList<>());

    Chaos(Path home, Path repo, List<String> targets, int kills, Duration minPause, Duration maxPause, long seed,
          BooleanSupplier stop, PrintStream log) {
        this.home = home;
        this.repo = repo;
        this.targets = List.copyOf(targets);
        this.kills = kills;
        this.minPause = minPause;
        this.maxPause = maxPause;
        this.random = new Random(seed);
        this.stop = stop;
        this.log = log;
    }

    List<Kill> kills() {
        return List.copyOf(done);
    }

    @Override
    public void run() {
        List<String> plan = new ArrayList<>(targets);
        Collections.shuffle(plan, random);
        while (plan.size() < kills) {
            plan.add(targets.get(random.nextInt(targets.size())));
        }
        for (String component : plan.subList(0, Math.max(kills, 0))) {
            if (!pause(minPause.toMillis() + (long) (random.nextDouble() * (maxPause.toMillis() - minPause.toMillis())))) {
                return;
            }
            done.add(killAndRestart(component));
        }
    }

    private boolean pause(long millis) {
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            if (stop.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stop.getAsBoolean();
    }

    private Kill killAndRestart(String component) {
        Instant at = Instant.now();
        Optional<ProcessHandle> process = pid(component).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return new Kill(component, -1, at, Duration.ZERO, "not running when its turn came");
        }
        long pid = process.get().pid();
        process.get().destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no goodbye
        log.printf("  %s  kill -9 %s (pid %d)%n", at, component, pid);
        waitGone(process.get());
        long started = System.nanoTime();
        String problem = null;
        // PostgreSQL's backends notice a dead postmaster within moments; a start before that fails
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                LocalStack.create(StackConfig.from(System.getenv(), Map.of(StackConfig.HOME, home.toString())), repo)
                        .up(new PrintStream(java.io.OutputStream.nullOutputStream()));
                problem = null;
                break;
            } catch (Exception e) {
                problem = e.getMessage();
                sleep(2000L * attempt);
            }
        }
        Duration restart = Duration.ofNanos(System.nanoTime() - started);
        log.printf("  %s  %s back after %.1f s%s%n", Instant.now(), component, restart.toMillis() / 1000.0,
                problem == null ? "" : " -- NOT restarted: " + problem);
        return new Kill(component, pid, at, restart, problem);
    }

    private Optional<Long> pid(String component) {
        Path file = home.resolve("run").resolve(component + ".pid");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Whether the component is part of the stack (has been started by it). */
    static boolean present(Path home, String component) {
        return Files.isRegularFile(home.resolve("run").resolve(component + ".pid"));
    }

    private static void waitGone(ProcessHandle process) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
