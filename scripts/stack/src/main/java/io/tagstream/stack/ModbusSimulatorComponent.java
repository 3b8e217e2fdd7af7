package io.tagstream.stack;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The Modbus device simulator (scripts/modbus-simulator): a Modbus TCP server on 127.0.0.1 whose registers
 * follow scripts/modbus-simulator/profiles/demo.csv, polled by connectors/config/modbus-demo.json. It writes
 * its port to {@code <home>/modbus-simulator/modbus-simulator.properties}, which the connector's address
 * map reads through Connect's file config provider, so a changed port needs no edit of the map. It starts
 * before the Connect worker so the file exists when the connectors are registered.
 */
final class ModbusSimulatorComponent implements Component {

    static final String NAME = "modbus-simulator";
    static final String PORT = "modbus.simulator.port";
    /** Where the simulator's port is kept for the worker's file config provider (in its data directory). */
    static final String PORT_FILE = "modbus-simulator.properties";
    private static final String MODULE = "scripts/modbus-simulator";
    private static final String PROFILE = MODULE + "/profiles/demo.csv";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Modbus TCP device simulator (unit 1, profile " + PROFILE + ")";
    }

    @Override
    public List<String> ports() {
        return List.of(PORT);
    }

    @Override
    public Tier tier() {
        return Tier.PLATFORM;
    }

    private static Path jar(Stack stack) {
        return stack.repo().resolve(MODULE).resolve("target/tagstream-modbus-simulator-0.1.0-SNAPSHOT.jar");
    }

    @Override
    public void prepare(Stack stack) throws Exception {
        if (!Files.isRegularFile(jar(stack)) || !Files.isDirectory(stack.repo().resolve(MODULE).resolve("target/lib"))) {
            throw new IllegalStateException("Modbus simulator not built: " + jar(stack) + " or its target/lib is missing "
                    + "(scripts/tagstream build)");
        }
        Files.createDirectories(stack.dataDirectory(NAME));
        JvmProcess.writeLoggingConfig(stack, NAME);
        Properties properties = new Properties();
        properties.setProperty("port", Integer.toString(stack.port(PORT)));
        try (OutputStream out = Files.newOutputStream(stack.dataDirectory(NAME).resolve(PORT_FILE))) {
            properties.store(out, "Modbus simulator port (read by connectors/config/modbus-demo.json via ${file:...})");
        }
    }

    @Override
    public ProcessSpec process(Stack stack) {
        List<String> command = new ArrayList<>(JvmProcess.jvmFlags(stack, NAME, "48m"));
        command.add("-cp");
        command.add(jar(stack) + java.io.File.pathSeparator + stack.repo().resolve(MODULE).resolve("target/lib").resolve("*"));
        command.add("io.tagstream.simulator.modbus.ModbusSimulator");
        command.addAll(List.of("--port", Integer.toString(stack.port(PORT)),
                "--profile", stack.repo().resolve(PROFILE).toString()));
        return new ProcessSpec(command, Map.of(), stack.dataDirectory(NAME), JvmProcess.marker(stack, NAME),
                ProcessSpec.StopSignal.TERM);
    }

    @Override
    public Health probe(Stack stack) {
        int port = stack.port(PORT);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return Health.up("Modbus TCP simulator at tcp://127.0.0.1:" + port + " (unit 1)");
        } catch (Exception e) {
            return Health.down("Modbus simulator not listening on 127.0.0.1:" + port + ": " + KafkaBroker.rootMessage(e));
        }
    }
}
