package io.tagstream.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The shared shape of the JVM processes the stack starts: same java, small heap, quiet logging. */
final class JvmProcess {

    private JvmProcess() {
    }

    /** {@code java <flags> -cp <kafka libraries>}; the caller appends the main class and arguments. */
    static List<String> javaCommand(Stack stack, String component, String heap) {
        List<String> command = new ArrayList<>(jvmFlags(stack, component, heap));
        command.add("-cp");
        command.add(stack.kafkaLibraries().resolve("*").toString());
        return command;
    }

    static List<String> jvmFlags(Stack stack, String component, String heap) {
        List<String> flags = new ArrayList<>();
        flags.add(stack.javaCommand());
        flags.add("-Xmx" + heap);
        flags.add("-Xms32m");
        // two cores: the serial collector keeps resident memory and background threads small
        flags.add("-XX:+UseSerialGC");
        flags.add("-Djava.awt.headless=true");
        flags.add("-Dlog4j2.configurationFile=" + loggingConfig(stack, component));
        flags.add(marker(stack, component));
        return flags;
    }

    /** Appears on the command line of every process we start; identifies it as ours. */
    static String marker(Stack stack, String component) {
        return "-Dtagstream.component=" + component + "@" + stack.home();
    }

    static Path loggingConfig(Stack stack, String component) {
        return stack.dataDirectory(component).resolve("log4j2.properties");
    }

    static void writeLoggingConfig(Stack stack, String component) throws IOException {
        Path target = loggingConfig(stack, component);
        Files.createDirectories(target.getParent());
        try (InputStream in = JvmProcess.class.getResourceAsStream("/process-log4j2.properties")) {
            if (in == null) {
                throw new IOException("process-log4j2.properties missing from the launcher's classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
