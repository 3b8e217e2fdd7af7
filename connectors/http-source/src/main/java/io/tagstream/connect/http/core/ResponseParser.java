package io.tagstream.connect.http.core;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Classifies an HTTP response: data (rows of a page), a transient failure worth retrying (429, 5xx, honoring
 * Retry-After), or an error payload (result code other than ok, XML or HTML where JSON was asked, truncated
 * JSON, other 4xx). KMA answers errors with HTTP 200 and an XML body, so the status alone is not enough.
 */
public final class ResponseParser {

    public enum Format { JSON, CSV }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern XML_TEXT = Pattern.compile(
            "<(returnAuthMsg|errMsg|resultMsg|returnReasonCode|resultCode)>([^<]*)</\\1>");
    private static final Pattern HTML_TITLE = Pattern.compile("<title>([^<]*)</title>", Pattern.CASE_INSENSITIVE);

    private final Format format;
    private final JsonPointer records;
    private final JsonPointer resultCode;
    private final JsonPointer resultMessage;
    private final Set<String> okCodes;
    private final Set<String> emptyCodes;
    private final JsonPointer totalCount;
    private final JsonPointer cursor;
    private final char csvDelimiter;

    public ResponseParser(Format format, String recordsPointer, String resultCodePointer, String resultMessagePointer,
                          Set<String> okCodes, Set<String> emptyCodes, String totalCountPointer, String cursorPointer,
                          char csvDelimiter) {
        this.format = format;
        this.records = pointer(recordsPointer);
        this.resultCode = pointer(resultCodePointer);
        this.resultMessage = pointer(resultMessagePointer);
        this.okCodes = Set.copyOf(okCodes);
        this.emptyCodes = Set.copyOf(emptyCodes);
        this.totalCount = pointer(totalCountPointer);
        this.cursor = pointer(cursorPointer);
        this.csvDelimiter = csvDelimiter;
    }

    private static JsonPointer pointer(String text) {
        return text == null || text.isBlank() ? null : JsonPointer.compile(text);
    }

    /** Checks a JSON pointer; returns a problem description or null. */
    public static String validatePointer(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            JsonPointer.compile(text);
            return null;
        } catch (IllegalArgumentException e) {
            return "not a JSON pointer (RFC 6901, e.g. /response/body/items/item): " + e.getMessage();
        }
    }

    public FetchOutcome parse(int status, Map<String, List<String>> headers, byte[] body, Instant now) {
        if (status == 429 || status / 100 == 5) {
            return new FetchOutcome.Retry("HTTP " + status + describe(body), retryAfter(header(headers, "Retry-After"), now));
        }
        if (status / 100 != 2) {
            return new FetchOutcome.ErrorPayload("HTTP " + status + describe(body), status);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String trimmed = text.stripLeading();
        String lower = trimmed.length() > 200 ? trimmed.substring(0, 200).toLowerCase(Locale.ROOT) : trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("<!doctype html") || lower.startsWith("<html")) {
            Matcher title = HTML_TITLE.matcher(trimmed);
            return new FetchOutcome.ErrorPayload("HTML page instead of " + format + " (maintenance?)"
                    + (title.find() ? ": " + title.group(1).trim() : ""), status);
        }
        if (lower.startsWith("<")) {
            return new FetchOutcome.ErrorPayload("XML error body instead of " + format + xmlSummary(trimmed), status);
        }
        return format == Format.CSV ? csv(text, status) : json(text, status);
    }

    private FetchOutcome json(String text, int status) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new FetchOutcome.ErrorPayload("malformed or truncated JSON: " + e.getOriginalMessage(), status);
        }
        if (root == null || root.isMissingNode()) {
            return new FetchOutcome.ErrorPayload("empty body", status);
        }
        if (resultCode != null) {
            JsonNode code = root.at(resultCode);
            if (code.isMissingNode() || code.isNull()) {
                return new FetchOutcome.ErrorPayload("result code missing at " + resultCode, status);
            }
            String value = code.asText();
            if (emptyCodes.contains(value)) {
                return new FetchOutcome.Page(List.of(), 0, null);
            }
            if (!okCodes.contains(value)) {
                String message = resultMessage == null ? "" : root.at(resultMessage).asText("");
                return new FetchOutcome.ErrorPayload("API result code " + value
                        + (message.isEmpty() ? "" : " (" + message + ")"), status);
            }
        }
        JsonNode items = records == null ? root : root.at(records);
        List<Row> rows = new ArrayList<>();
        if (items.isArray()) {
            items.forEach(item -> rows.add(Row.of(item)));
        } else if (items.isObject()) {
            // some APIs (KMA among them) unwrap a one-element list into the element itself
            rows.add(Row.of(items));
        } else if (!(items.isMissingNode() || items.isNull() || (items.isTextual() && items.asText().isEmpty()))) {
            return new FetchOutcome.ErrorPayload("records at " + records + " are neither a list nor an object", status);
        } else if (resultCode == null && records != null && items.isMissingNode()) {
            // without a result code, a missing list is the only sign of an unexpected body
            return new FetchOutcome.ErrorPayload("no records at " + records, status);
        }
        Integer total = null;
        if (totalCount != null) {
            JsonNode node = root.at(totalCount);
            if (node.isNumber() || (node.isTextual() && node.asText().matches("\\d+"))) {
                total = node.asInt();
            }
        }
        String next = null;
        if (cursor != null) {
            JsonNode node = root.at(cursor);
            next = node.isMissingNode() || node.isNull() || node.asText().isEmpty() ? null : node.asText();
        }
        return new FetchOutcome.Page(rows, total, next);
    }

    private FetchOutcome csv(String text, int status) {
        CSVFormat csvFormat = CSVFormat.DEFAULT.builder().setDelimiter(csvDelimiter).setHeader()
                .setSkipHeaderRecord(true).setTrim(true).setIgnoreEmptyLines(true).build();
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text), csvFormat)) {
            if (parser.getHeaderNames().isEmpty()) {
                return new FetchOutcome.ErrorPayload("CSV without a header line", status);
            }
            int columns = parser.getHeaderNames().size();
            for (CSVRecord record : parser) {
                if (record.size() != columns) {
                    return new FetchOutcome.ErrorPayload("CSV line " + record.getRecordNumber() + " has " + record.size()
                            + " fields, the header " + columns + " (truncated download?)", status);
                }
                Map<String, String> fields = new LinkedHashMap<>(record.toMap());
                rows.add(Row.of(fields, String.join(String.valueOf(csvDelimiter), record.values())));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            return new FetchOutcome.ErrorPayload("malformed CSV: " + e.getMessage(), status);
        }
        return new FetchOutcome.Page(rows, null, null);
    }

    private static String xmlSummary(String body) {
        Matcher matcher = XML_TEXT.matcher(body);
        StringBuilder out = new StringBuilder();
        while (matcher.find() && out.length() < 300) {
            out.append(out.length() == 0 ? ": " : ", ").append(matcher.group(1)).append('=').append(matcher.group(2).trim());
        }
        return out.toString();
    }

    private static String describe(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return text.isEmpty() ? "" : ": " + text;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    /** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
