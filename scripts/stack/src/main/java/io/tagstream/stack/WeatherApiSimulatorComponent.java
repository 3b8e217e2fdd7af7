package io.tagstream.stack;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The weather API simulator (scripts/weather-api-simulator): KMA ASOS-shaped hourly observations for a few
 * stations, so the demo has weather flowing through the HTTP source connector. On first start it draws a
 * service key and writes it, with the base URL, to {@code <home>/weather-api/weather-api.properties}; the
 * simulator reads the key from there and connectors/config/kma-asos-demo.json references both through
 * Connect's file config provider, so the key never appears in a connector config. It starts before the
 * Connect worker so the file exists when the connectors are registered.
 */
final class WeatherApiSimulatorComponent implements Component {

    static final String NAME = "weather-api";
    static final String PORT = "weather.api.port";
    static final String STATIONS = "108,112,159";
    private static final String MODULE = "scripts/weather-api-simulator";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "weather API simulator (KMA ASOS hourly, getWthrDataList)";
    }

    @Override
    public List<String> ports() {
        return List.of(PORT);
    }

    @Override
    public Tier tier() {
        return Tier.PLATFORM;
    }

    static Path secretsFile(Stack stack) {
        return stack.dataDirectory(NAME).resolve("weather-api.properties");
    }

    private static Path jar(Stack stack) {
        return stack.repo().resolve(MODULE).resolve("target/tagstream-weather-api-simulator-0.1.0-SNAPSHOT.jar");
    }

    private static String baseUrl(Stack stack) {
        return "http://127.0.0.1:" + stack.port(PORT) + "/1360000/AsosHourlyInfoService";
    }

    @Override
    public void prepare(Stack stack) throws Exception {
        if (!Files.isRegularFile(jar(stack)) || !Files.isDirectory(stack.repo().resolve(MODULE).resolve("target/lib"))) {
            throw new IllegalStateException("weather API simulator not built: " + jar(stack) + " or its target/lib is missing "
                    + "(scripts/tagstream build)");
        }
        Files.createDirectories(stack.dataDirectory(NAME));
        JvmProcess.writeLoggingConfig(stack, NAME);
        Properties properties = new Properties();
        Path file = secretsFile(stack);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
        }
        if (properties.getProperty("serviceKey", "").isBlank()) {
            byte[] key = new byte[24];
            new SecureRandom().nextBytes(key);
            properties.setProperty("serviceKey", HexFormat.of().formatHex(key));
        }
        // the port may differ between starts (ports auto), the key stays
        properties.setProperty("baseUrl", baseUrl(stack));
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "weather API simulator: service key and base URL (read by the connector via ${file:...})");
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the home directory's permissions apply
        }
    }

    @Override
    public ProcessSpec process(Stack stack) {
        List<String> command = new ArrayList<>(JvmProcess.jvmFlags(stack, NAME, "48m"));
        command.add("-cp");
        command.add(jar(stack) + java.io.File.pathSeparator + stack.repo().resolve(MODULE).resolve("target/lib").resolve("*"));
        command.add("io.tagstream.simulator.weather.WeatherApiSimulator");
        command.addAll(List.of("--port", Integer.toString(stack.port(PORT)), "--secrets", secretsFile(stack).toString(),
                "--stations", STATIONS, "--too-many-every", "25"));
        return new ProcessSpec(command, Map.of(), stack.dataDirectory(NAME), JvmProcess.marker(stack, NAME),
                ProcessSpec.StopSignal.TERM);
    }

    @Override
    public Health probe(Stack stack) {
        String url = baseUrl(stack) + "/getWthrDataList?pageNo=1&numOfRows=1";
        try {
            // without the key the simulator answers like KMA does: HTTP 200 with an XML error body
            JsonHttp.Response response = JsonHttp.get(url);
            if (response.status() == 200 && response.body().contains("SERVICE_KEY_IS_NOT_REGISTERED_ERROR")) {
                return Health.up("weather API simulator at " + baseUrl(stack) + " (stations " + STATIONS + ")");
            }
            return Health.down("weather API simulator answered HTTP " + response.status() + " at " + url);
        } catch (Exception e) {
            return Health.down("weather API simulator not reachable at " + baseUrl(stack) + ": " + KafkaBroker.rootMessage(e));
        }
    }
}
