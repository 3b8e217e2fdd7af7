package io.tagstream.connect.http.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request URL with placeholders: {@code {from:PATTERN}} and {@code {to:PATTERN}} (window bounds, inclusive,
 * formatted in the API's zone; without a pattern ISO-8601 with offset), {@code {from:epoch-millis}} /
 * {@code epoch-seconds}, {@code {page}}, {@code {pageSize}}, {@code {cursor}}, {@code {stream}} (the station
 * or plant the request is for) and {@code {secret}}. Every substituted value is URL-encoded; the template's
 * own text is not touched, so it may already hold encoded query parameters.
 */
public final class UrlTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)(?::([^}]+))?}");
    static final Set<String> NAMES = Set.of("from", "to", "page", "pageSize", "cursor", "stream", "secret");

    private final String template;
    private final ZoneId zone;
    private final Map<String, DateTimeFormatter> formatters = new HashMap<>();

    public UrlTemplate(String template, ZoneId zone) {
        String problem = validate(template);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.template = template;
        this.zone = zone;
    }

    /** Checks a template; returns a problem description or null. */
    public static String validate(String template) {
        if (template == null || template.isBlank()) {
            return "URL template must not be empty";
        }
        // every placeholder renders to URL-encoded text, so '0' in its place shows whether the result can be a URL
        String urlProblem = problemWithUrl(PLACEHOLDER.matcher(template).replaceAll("0"), false);
        if (urlProblem != null) {
            return "URL template " + urlProblem;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!NAMES.contains(name)) {
                return "unknown placeholder {" + name + "} (known: " + NAMES + ")";
            }
            String pattern = matcher.group(2);
            if (pattern != null && (name.equals("from") || name.equals("to"))) {
                if (!pattern.equals(TimeParser.EPOCH_MILLIS) && !pattern.equals(TimeParser.EPOCH_SECONDS)) {
                    try {
                        DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
                    } catch (IllegalArgumentException e) {
                        return "placeholder {" + name + ":" + pattern + "}: " + e.getMessage();
                    }
                }
            }
        }
        return null;
    }

    /**
     * Checks a service base URL (the preset appends its path and query to it); returns a problem
     * description or null.
     */
    public static String validateBaseUrl(String url) {
        return problemWithUrl(url, true);
    }

    /** An absolute http(s) URL with a host (and for a base URL, no query or fragment), as HttpClient needs it. */
    private static String problemWithUrl(String url, boolean base) {
        String example = base ? "e.g. http://127.0.0.1:8080/1360000/AsosHourlyInfoService"
                : "e.g. http://127.0.0.1:8080/data?from={from:yyyyMMddHH}";
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return "must start with http:// or https://; " + example;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL: " + e.getReason() + " at index " + e.getIndex() + "; " + example;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return uri.getRawAuthority() == null
                    ? "has no host (nothing between " + scheme + ":// and the path); " + example
                    : "has no valid host[:port] ('" + uri.getRawAuthority() + "'); " + example;
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return "has port " + uri.getPort() + ", outside 1..65535; " + example;
        }
        if (base && (uri.getRawQuery() != null || uri.getRawFragment() != null)) {
            return "must not have a query or fragment: the preset appends its own path and query; " + example;
        }
        return null;
    }

    public boolean uses(String name) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return true;
            }
        }
        return false;
    }

    public String render(Request request) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = switch (matcher.group(1)) {
                case "from" -> time(request.window().from(), matcher.group(2));
                case "to" -> time(request.window().to(), matcher.group(2));
                case "page" -> Integer.toString(request.page());
                case "pageSize" -> Integer.toString(request.pageSize());
                case "cursor" -> request.cursor() == null ? "" : request.cursor();
                case "stream" -> request.stream() == null ? "" : request.stream();
                case "secret" -> request.secret() == null ? "" : request.secret();
                default -> throw new IllegalStateException(matcher.group(1));
            };
            matcher.appendReplacement(out, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String time(Instant instant, String pattern) {
        if (pattern == null) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone));
        }
        if (pattern.equals(TimeParser.EPOCH_MILLIS)) {
            return Long.toString(instant.toEpochMilli());
        }
        if (pattern.equals(TimeParser.EPOCH_SECONDS)) {
            return Long.toString(instant.getEpochSecond());
        }
        return formatters.computeIfAbsent(pattern, p -> DateTimeFormatter.ofPattern(p, Locale.ROOT)).format(instant.atZone(zone));
    }

    /** What one request asks for. */
    public record Request(String stream, Window window, int page, int pageSize, String cursor, String secret) {
    }
}
