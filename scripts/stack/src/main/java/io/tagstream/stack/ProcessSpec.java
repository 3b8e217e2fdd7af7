package io.tagstream.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to run one component as an operating-system process. {@code marker} is a string that must appear
 * in the process's command line, so a recycled pid is never mistaken for ours.
 */
public record ProcessSpec(List<String> command, Map<String, String> environment, Path workingDirectory,
                          String marker, StopSignal stopSignal) {

    public enum StopSignal {
        /** SIGTERM: JVMs run their shutdown hooks. */
        TERM,
        /** SIGINT: PostgreSQL's "fast" shutdown (SIGTERM would wait for clients to leave). */
        INT
    }
}
