package io.tagstream.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes this stack started: one pid file per component under {@code <home>/run}. A pid only
 * counts as ours while the process's command line still contains the component's marker, so a stale
 * pid file (after a reboot, say) never makes us signal a stranger.
 */
final class ProcessTable {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path runDirectory;
    private final Path logDirectory;

    ProcessTable(Path runDirectory, Path logDirectory) {
        this.runDirectory = runDirectory;
        this.logDirectory = logDirectory;
    }

    Path logFile(String component) {
        return logDirectory.resolve(component + ".log");
    }

    /** Starts the process detached from our terminal and session, output appended to its log file. */
    ProcessHandle start(String component, ProcessSpec spec) throws IOException {
        Files.createDirectories(runDirectory);
        Files.createDirectories(logDirectory);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // own session: a Ctrl-C in the terminal that ran `up` does not reach the stack
            command.add(SETSID.toString());
        }
        command.addAll(spec.command());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(spec.workingDirectory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(component).toFile()));
        builder.environment().putAll(spec.environment());
        Process process = builder.start();
        Files.writeString(pidFile(component), process.pid() + "\n" + spec.marker() + "\n" + spec.stopSignal() + "\n",
                StandardCharsets.UTF_8);
        return process.toHandle();
    }

    /** The live process of this component, if the pid file names one that is still ours. */
    Optional<ProcessHandle> running(String component) {
        Path pidFile = pidFile(component);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            long pid = Long.parseLong(lines.get(0).trim());
            String marker = lines.size() > 1 ? lines.get(1) : "";
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> commandLineContains(pid, marker));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the component's process: its stop signal first, SIGKILL if it has not exited within the
     * timeout. Returns false if nothing of ours was running.
     */
    boolean stop(String component, Duration timeout) throws IOException, InterruptedException {
        Optional<ProcessHandle> handle = running(component);
        if (handle.isEmpty()) {
            Files.deleteIfExists(pidFile(component));
            return false;
        }
        ProcessHandle process = handle.get();
        List<String> lines = Files.readAllLines(pidFile(component), StandardCharsets.UTF_8);
        ProcessSpec.StopSignal signal = lines.size() > 2 ? ProcessSpec.StopSignal.valueOf(lines.get(2).trim())
                : ProcessSpec.StopSignal.TERM;
        signal(process, signal);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            waitForExit(process, Duration.ofSeconds(10));
        }
        Files.deleteIfExists(pidFile(component));
        return true;
    }

    private static void waitForExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** The last lines of a component's log, to show why it did not come up. */
    List<String> logTail(String component, int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(component), StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Live processes whose command line names the stack's home: what `down` must leave none of. */
    static List<String> processesMentioning(Path home) {
        String marker = home.toString();
        long self = ProcessHandle.current().pid();
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
            if (commandLineContains(p.pid(), marker + "/") || commandLineContains(p.pid(), marker + " ")) {
                found.add("pid " + p.pid() + ": " + p.info().commandLine().orElse("?"));
            }
        });
        return found;
    }

    /** Resident memory of the process in MiB, from /proc; -1 when unknown. */
    static long residentMebibytes(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone or /proc unavailable: unknown
        }
        return -1;
    }

    private static void signal(ProcessHandle process, ProcessSpec.StopSignal signal)
            throws IOException, InterruptedException {
        if (signal == ProcessSpec.StopSignal.TERM) {
            process.destroy();
            return;
        }
        new ProcessBuilder("kill", "-s", signal.name(), Long.toString(process.pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static boolean commandLineContains(long pid, String marker) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').contains(marker);
        } catch (IOException e) {
            // no /proc (not Linux): trust the pid file
            return !Files.isDirectory(Path.of("/proc"));
        }
    }

    private Path pidFile(String component) {
        return runDirectory.resolve(component + ".pid");
    }
}
