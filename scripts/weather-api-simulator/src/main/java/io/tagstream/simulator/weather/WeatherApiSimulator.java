package io.tagstream.simulator.weather;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Answers {@code GET <base>/getWthrDataList} like KMA's AsosHourlyInfoService: a wrong service key gets KMA's
 * XML error body (with HTTP 200, as the real service does), a range without data resultCode 03, and data
 * pages of {@link AsosObservations} rows for hours up to the current one. Every {@code tooManyEvery}-th request
 * is refused with 429 and Retry-After: 1. Tests can queue one-off faults.
 */
public final class WeatherApiSimulator implements AutoCloseable {

    public static final String BASE_PATH = "/1360000/AsosHourlyInfoService";

    /** One-off answers a test can queue; each is served once, to the next data request. */
    public enum Fault { TOO_MANY_REQUESTS, SERVER_ERROR, TRUNCATED_JSON, XML_ERROR, HTML_MAINTENANCE, RESULT_CODE_ERROR }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final HttpServer server;
    private final String serviceKey;
    private final Set<String> stations;
    private final int tooManyEvery;
    private final Duration delay;
    private final Clock clock;
    private final AtomicLong requests = new AtomicLong();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * @param port         0 for a free port
     * @param tooManyEvery every n-th request answers 429 (0: never)
     * @param delay        added to every answer, to make backfills take observable time
     */
    public WeatherApiSimulator(int port, String serviceKey, Set<String> stations, int tooManyEvery, Duration delay,
                               Clock clock) throws IOException {
        this.serviceKey = serviceKey;
        this.stations = Set.copyOf(stations);
        this.tooManyEvery = tooManyEvery;
        this.delay = delay;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext(BASE_PATH + "/getWthrDataList", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "weather-api-simulator");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + BASE_PATH;
    }

    public void inject(Fault fault) {
        faults.add(fault);
    }

    public long requests() {
        return requests.get();
    }

    /** "<status> <query>" of every request, in order (the service key masked). */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            long n = requests.incrementAndGet();
            String masked = exchange.getRequestURI().getRawQuery() == null ? ""
                    : exchange.getRequestURI().getRawQuery().replaceAll("serviceKey=[^&]*", "serviceKey=***");
            if (!serviceKey.equals(query.get("serviceKey"))) {
                log.add("200-xml " + masked);
                xmlError(exchange, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR", "30");
                return;
            }
            Fault fault = faults.poll();
            if (fault == null && tooManyEvery > 0 && n % tooManyEvery == 0) {
                fault = Fault.TOO_MANY_REQUESTS;
            }
            if (fault != null) {
                log.add(fault + " " + masked);
                serveFault(exchange, fault);
                return;
            }
            log.add("200 " + masked);
            serveData(exchange, query);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", ("simulator error: " + e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void serveData(HttpExchange exchange, Map<String, String> query) throws IOException {
        Instant from;
        Instant to;
        int pageNo;
        int numOfRows;
        try {
            from = hour(query.get("startDt"), query.get("startHh"));
            to = hour(query.get("endDt"), query.get("endHh"));
            pageNo = Integer.parseInt(query.getOrDefault("pageNo", "1"));
            numOfRows = Integer.parseInt(query.getOrDefault("numOfRows", "10"));
        } catch (RuntimeException e) {
            json(exchange, header("10", "INVALID_REQUEST_PARAMETER_ERROR"));
            return;
        }
        String station = query.getOrDefault("stnIds", "");
        if (!"JSON".equals(query.get("dataType")) || !"ASOS".equals(query.get("dataCd")) || !"HR".equals(query.get("dateCd"))
                || !stations.contains(station) || pageNo < 1 || numOfRows < 1 || numOfRows > 999) {
            json(exchange, header("10", "INVALID_REQUEST_PARAMETER_ERROR"));
            return;
        }
        Instant latest = clock.instant().truncatedTo(ChronoUnit.HOURS);
        List<Instant> hours = new ArrayList<>();
        for (Instant h = from; !h.isAfter(to) && !h.isAfter(latest); h = h.plus(Duration.ofHours(1))) {
            hours.add(h);
        }
        int first = (pageNo - 1) * numOfRows;
        if (hours.isEmpty() || first >= hours.size()) {
            json(exchange, header("03", "NO_DATA"));
            return;
        }
        ObjectNode root = header("00", "NORMAL_SERVICE");
        ObjectNode body = ((ObjectNode) root.get("response")).putObject("body");
        body.put("dataType", "JSON");
        ArrayNode items = body.putObject("items").putArray("item");
        for (int i = first; i < Math.min(hours.size(), first + numOfRows); i++) {
            ObjectNode item = items.addObject();
            AsosObservations.row(station, hours.get(i)).forEach(item::put);
            item.put("rnum", Integer.toString(i + 1));
        }
        body.put("pageNo", pageNo);
        body.put("numOfRows", numOfRows);
        body.put("totalCount", hours.size());
        json(exchange, root);
    }

    private static Instant hour(String day, String hh) {
        if (day == null || hh == null) {
            throw new DateTimeParseException("missing", "", 0);
        }
        return LocalDate.parse(day, DAY).atTime(LocalTime.of(Integer.parseInt(hh), 0)).atZone(AsosObservations.KST).toInstant();
    }

    private void serveFault(HttpExchange exchange, Fault fault) throws IOException {
        switch (fault) {
            case TOO_MANY_REQUESTS -> {
                exchange.getResponseHeaders().add("Retry-After", "1");
                send(exchange, 429, "text/plain", "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR".getBytes(StandardCharsets.UTF_8));
            }
            case SERVER_ERROR -> send(exchange, 500, "text/plain", "Internal Server Error".getBytes(StandardCharsets.UTF_8));
            case TRUNCATED_JSON -> send(exchange, 200, "application/json;charset=UTF-8",
                    "{\"response\":{\"header\":{\"resultCode\":\"00\",\"resultMsg\":\"NORMAL_SERVICE\"},\"body\":{\"items\":{\"item\":[{\"tm\":\"20"
                            .getBytes(StandardCharsets.UTF_8));
            case XML_ERROR -> xmlError(exchange, "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR", "22");
            case HTML_MAINTENANCE -> send(exchange, 200, "text/html;charset=UTF-8",
                    "<!DOCTYPE html><html><head><title>Service maintenance</title></head><body>Back soon.</body></html>"
                            .getBytes(StandardCharsets.UTF_8));
            case RESULT_CODE_ERROR -> json(exchange, header("99", "UNKNOWN_ERROR"));
        }
    }

    private static ObjectNode header(String code, String message) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode header = root.putObject("response").putObject("header");
        header.put("resultCode", code);
        header.put("resultMsg", message);
        return root;
    }

    private static void xmlError(HttpExchange exchange, String message, String code) throws IOException {
        String xml = "<OpenAPI_ServiceResponse>\n<cmmMsgHeader>\n<errMsg>SERVICE ERROR</errMsg>\n<returnAuthMsg>" + message
                + "</returnAuthMsg>\n<returnReasonCode>" + code + "</returnReasonCode>\n</cmmMsgHeader>\n</OpenAPI_ServiceResponse>";
        send(exchange, 200, "text/xml;charset=UTF-8", xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void json(HttpExchange exchange, ObjectNode root) throws IOException {
        send(exchange, 200, "application/json;charset=UTF-8", MAPPER.writeValueAsBytes(root));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /**
     * {@code --port N --secrets FILE [--stations 108,112,159] [--too-many-every N]}: serves until killed. The
     * service key is read from FILE (property serviceKey), the same file the connector's ${file:...} names.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Properties secrets = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(options.get("secrets")))) {
            secrets.load(in);
        }
        String key = secrets.getProperty("serviceKey");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("no serviceKey in " + options.get("secrets"));
        }
        Set<String> stations = Set.of(options.getOrDefault("stations", "108,112,159").split(","));
        WeatherApiSimulator simulator = new WeatherApiSimulator(Integer.parseInt(options.getOrDefault("port", "18090")), key,
                stations, Integer.parseInt(options.getOrDefault("too-many-every", "25")), Duration.ZERO, Clock.systemUTC());
        System.out.println("weather API simulator serving stations " + stations + " at " + simulator.baseUrl() + "/getWthrDataList");
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        Thread.currentThread().join();
    }
}
