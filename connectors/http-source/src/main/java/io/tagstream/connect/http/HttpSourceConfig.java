package io.tagstream.connect.http;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import io.tagstream.connect.config.InvalidOption;
import io.tagstream.connect.config.ProviderReferences;
import io.tagstream.connect.config.TimeZoneValidator;
import io.tagstream.connect.http.core.KmaAsosPreset;
import io.tagstream.connect.http.core.ResponseParser;
import io.tagstream.connect.http.core.RowMapper;
import io.tagstream.connect.http.core.SlicePlanner;
import io.tagstream.connect.http.core.StreamCursor;
import io.tagstream.connect.http.core.TagMapping;
import io.tagstream.connect.http.core.TimeParser;
import io.tagstream.connect.http.core.UrlTemplate;

/**
 * Configuration of the HTTP API source. A preset (kma-asos-hourly) supplies defaults for the generic options;
 * anything set explicitly wins. The secret (auth.secret) is a PASSWORD and belongs in a Connect config
 * provider reference, e.g. {@code ${file:/etc/tagstream/kma.properties:serviceKey}} or {@code ${env:KMA_KEY}}:
 * the worker resolves it before the connector sees it, so it never sits in the connector's stored config.
 */
public final class HttpSourceConfig extends AbstractConfig {

    public static final String PRESET = "preset";
    public static final String API_BASE_URL = "api.base.url";
    public static final String URL_TEMPLATE = "url.template";
    public static final String STREAMS = "streams";
    public static final String AUTH_MODE = "auth.mode";
    public static final String AUTH_PARAM = "auth.param";
    public static final String AUTH_PREFIX = "auth.prefix";
    public static final String AUTH_SECRET = "auth.secret";
    public static final String RESPONSE_FORMAT = "response.format";
    public static final String RECORDS_POINTER = "records.pointer";
    public static final String RESULT_CODE_POINTER = "result.code.pointer";
    public static final String RESULT_MESSAGE_POINTER = "result.message.pointer";
    public static final String RESULT_CODE_OK = "result.code.ok";
    public static final String RESULT_CODE_EMPTY = "result.code.empty";
    public static final String TOTAL_COUNT_POINTER = "total.count.pointer";
    public static final String CURSOR_POINTER = "cursor.pointer";
    public static final String PAGING = "paging";
    public static final String PAGE_FIRST = "page.first";
    public static final String PAGE_SIZE = "page.size";
    public static final String CSV_DELIMITER = "csv.delimiter";
    public static final String TIME_FIELD = "time.field";
    public static final String TIME_FORMAT = "time.format";
    public static final String TIME_ZONE = "time.zone";
    public static final String SITE = "site";
    public static final String LINE = "line";
    public static final String DEVICE_FIELD = "device.field";
    public static final String DEVICE = "device";
    public static final String TAGS = "tags";
    public static final String START_TIME = "start.time";
    public static final String TIME_STEP_MS = "time.step.ms";
    public static final String SLICE_MS = "slice.ms";
    public static final String AVAILABILITY_LAG_MS = "availability.lag.ms";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String HTTP_TIMEOUT_MS = "http.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String ERROR_RETRY_MS = "error.retry.ms";
    public static final String TOPIC = "topic";
    public static final String DLQ_TOPIC = "dlq.topic";
    public static final String DLQ_BOOTSTRAP_SERVERS = "dlq.bootstrap.servers";

    private static final String GROUP_API = "API";
    private static final String GROUP_MAPPING = "Mapping";
    private static final String GROUP_SCHEDULE = "Schedule";
    private static final String GROUP_ERRORS = "Errors";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(PRESET, Type.STRING, "", ConfigDef.ValidString.in("", KmaAsosPreset.NAME), Importance.HIGH,
                    "A built-in API description supplying defaults for the options below: kma-asos-hourly (KMA ASOS "
                            + "hourly observations, getWthrDataList; needs api.base.url, streams = station ids, "
                            + "auth.secret = the service key). Empty: generic mode.", GROUP_API, 1, ConfigDef.Width.SHORT, "Preset")
            .define(API_BASE_URL, Type.STRING, "", new BaseUrl(), Importance.HIGH,
                    "Base URL of the service for a preset, e.g. http://host/1360000/AsosHourlyInfoService: http or "
                            + "https, with a host, without query.",
                    GROUP_API, 2, ConfigDef.Width.LONG, "API base URL")
            .define(URL_TEMPLATE, Type.STRING, "", Importance.HIGH,
                    "Generic mode: the request URL with placeholders {from:PATTERN} {to:PATTERN} (window bounds, inclusive, "
                            + "in time.zone; PATTERN a DateTimeFormatter pattern, epoch-millis or epoch-seconds), {page}, "
                            + "{pageSize}, {cursor}, {stream} and {secret}. Values are URL-encoded.",
                    GROUP_API, 3, ConfigDef.Width.LONG, "URL template")
            .define(STREAMS, Type.LIST, "", Importance.HIGH,
                    "Independent series fetched separately, substituted as {stream} (KMA: station ids such as 108,112). "
                            + "Each has its own offset. Empty: one stream.", GROUP_API, 4, ConfigDef.Width.LONG, "Streams")
            .define(AUTH_MODE, Type.STRING, "none", ConfigDef.ValidString.in("none", "query", "header"), Importance.HIGH,
                    "How auth.secret is sent: as query parameter auth.param, as header auth.param (value "
                            + "'auth.prefix secret'), or not at all (a {secret} placeholder in the URL template works in any mode).",
                    GROUP_API, 5, ConfigDef.Width.SHORT, "Auth mode")
            .define(AUTH_PARAM, Type.STRING, "Authorization", Importance.MEDIUM,
                    "Query parameter or header name carrying the secret.", GROUP_API, 6, ConfigDef.Width.SHORT, "Auth parameter")
            .define(AUTH_PREFIX, Type.STRING, "", Importance.LOW,
                    "Scheme before the secret in the header value, joined with one space, e.g. Bearer.", GROUP_API, 7, ConfigDef.Width.SHORT, "Auth prefix")
            .define(AUTH_SECRET, Type.PASSWORD, "", Importance.HIGH,
                    "The API key or token. Give a config provider reference (${file:/path:key} or ${env:NAME}), never "
                            + "the literal: the worker resolves it, and the stored config keeps only the reference.",
                    GROUP_API, 8, ConfigDef.Width.MEDIUM, "Secret")
            .define(RESPONSE_FORMAT, Type.STRING, "json", ConfigDef.ValidString.in("json", "csv"), Importance.MEDIUM,
                    "Response body format. CSV needs a header line; fields are named by it.", GROUP_API, 9, ConfigDef.Width.SHORT, "Format")
            .define(RECORDS_POINTER, Type.STRING, "", pointer(), Importance.MEDIUM,
                    "JSON pointer (RFC 6901) to the records array, e.g. /response/body/items/item; empty: the body is the array.",
                    GROUP_API, 10, ConfigDef.Width.MEDIUM, "Records pointer")
            .define(RESULT_CODE_POINTER, Type.STRING, "", pointer(), Importance.MEDIUM,
                    "JSON pointer to an API result code; a code outside result.code.ok and result.code.empty is an error payload.",
                    GROUP_API, 11, ConfigDef.Width.MEDIUM, "Result code pointer")
            .define(RESULT_MESSAGE_POINTER, Type.STRING, "", pointer(), Importance.LOW,
                    "JSON pointer to the API's error message, quoted in logs and dead-letter headers.",
                    GROUP_API, 12, ConfigDef.Width.MEDIUM, "Result message pointer")
            .define(RESULT_CODE_OK, Type.LIST, "", Importance.LOW, "Result codes meaning data.", GROUP_API, 13, ConfigDef.Width.SHORT, "OK codes")
            .define(RESULT_CODE_EMPTY, Type.LIST, "", Importance.LOW,
                    "Result codes meaning 'no data in this range' (KMA: 03).", GROUP_API, 14, ConfigDef.Width.SHORT, "Empty codes")
            .define(TOTAL_COUNT_POINTER, Type.STRING, "", pointer(), Importance.LOW,
                    "JSON pointer to the total row count of the window, to stop paging exactly.", GROUP_API, 15, ConfigDef.Width.MEDIUM, "Total count pointer")
            .define(CURSOR_POINTER, Type.STRING, "", pointer(), Importance.LOW,
                    "JSON pointer to the next-page cursor (paging=cursor).", GROUP_API, 16, ConfigDef.Width.MEDIUM, "Cursor pointer")
            .define(PAGING, Type.STRING, "page", ConfigDef.ValidString.in("page", "cursor", "none"), Importance.MEDIUM,
                    "page: {page} counts from page.first until a short page or the total count; cursor: {cursor} from "
                            + "cursor.pointer until it is empty; none: one request per window.",
                    GROUP_API, 17, ConfigDef.Width.SHORT, "Paging")
            .define(PAGE_FIRST, Type.INT, 1, ConfigDef.Range.between(0, 1), Importance.LOW, "Number of the first page.",
                    GROUP_API, 18, ConfigDef.Width.SHORT, "First page")
            .define(PAGE_SIZE, Type.INT, 100, ConfigDef.Range.between(1, 100_000), Importance.MEDIUM,
                    "Rows per page ({pageSize}).", GROUP_API, 19, ConfigDef.Width.SHORT, "Page size")
            .define(CSV_DELIMITER, Type.STRING, ",", new SingleChar(), Importance.LOW, "CSV field delimiter.",
                    GROUP_API, 20, ConfigDef.Width.SHORT, "CSV delimiter")
            .define(TIME_FIELD, Type.STRING, "", Importance.HIGH,
                    "Field (name, or JSON pointer inside the row) holding the measurement time.", GROUP_MAPPING, 1, ConfigDef.Width.SHORT, "Time field")
            .define(TIME_FORMAT, Type.STRING, "iso", new TimeFormat(), Importance.HIGH,
                    "DateTimeFormatter pattern (local time in time.zone unless it has an offset), iso, epoch-millis or epoch-seconds.",
                    GROUP_MAPPING, 2, ConfigDef.Width.SHORT, "Time format")
            .define(TIME_ZONE, Type.STRING, "UTC", new TimeZoneValidator(), Importance.HIGH,
                    "Zone of local times in the API, both in rows and in the {from}/{to} placeholders (KMA: Asia/Seoul).",
                    GROUP_MAPPING, 3, ConfigDef.Width.SHORT, "Time zone")
            .define(SITE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Site of every reading.", GROUP_MAPPING, 4, ConfigDef.Width.SHORT, "Site")
            .define(LINE, Type.STRING, "", Importance.LOW, "Line attribute of every reading; empty: none.",
                    GROUP_MAPPING, 5, ConfigDef.Width.SHORT, "Line")
            .define(DEVICE_FIELD, Type.STRING, "", Importance.HIGH,
                    "Field naming the device (KMA: stnId, the station id).", GROUP_MAPPING, 6, ConfigDef.Width.SHORT, "Device field")
            .define(DEVICE, Type.STRING, "", Importance.MEDIUM,
                    "Device when rows do not name one (e.g. a PV plant id).", GROUP_MAPPING, 7, ConfigDef.Width.SHORT, "Device")
            .define(TAGS, Type.LIST, "", Importance.HIGH,
                    "Fields to tags, each field:tag[:unit[:scale[:offset]]]; one row becomes one reading per tag. "
                            + "An empty or non-numeric value is a BAD reading with a null value.",
                    GROUP_MAPPING, 8, ConfigDef.Width.LONG, "Tags")
            .define(START_TIME, Type.STRING, "", new StartTime(), Importance.HIGH,
                    "Where history starts when there is no offset yet: ISO date or local date-time in time.zone "
                            + "(2026-11-01 or 2026-11-01T00:00), or an instant with offset. Empty: one slice before now.",
                    GROUP_SCHEDULE, 1, ConfigDef.Width.MEDIUM, "Start time")
            .define(TIME_STEP_MS, Type.LONG, 3_600_000L, ConfigDef.Range.atLeast(1000), Importance.MEDIUM,
                    "Resolution of the API's timestamps; windows are aligned to it.", GROUP_SCHEDULE, 2, ConfigDef.Width.SHORT, "Time step")
            .define(SLICE_MS, Type.LONG, 86_400_000L, ConfigDef.Range.atLeast(1000), Importance.MEDIUM,
                    "Longest window one request sequence covers while backfilling.", GROUP_SCHEDULE, 3, ConfigDef.Width.SHORT, "Slice")
            .define(AVAILABILITY_LAG_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "How long after a step the API has it complete; windows end no later than now minus this, so a "
                            + "window is never declared done before its data exist.", GROUP_SCHEDULE, 4, ConfigDef.Width.SHORT, "Availability lag")
            .define(POLL_INTERVAL_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(100), Importance.MEDIUM,
                    "Pause between polls once caught up with live data.", GROUP_SCHEDULE, 5, ConfigDef.Width.SHORT, "Poll interval")
            .define(HTTP_TIMEOUT_MS, Type.INT, 30_000, ConfigDef.Range.between(100, 600_000), Importance.LOW,
                    "Connect and response timeout of one request; a timeout is retried like a 5xx.", GROUP_ERRORS, 1, ConfigDef.Width.SHORT, "HTTP timeout")
            .define(RETRY_BACKOFF_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "First wait after a 429, 5xx or timeout; doubled per attempt; a longer Retry-After wins.",
                    GROUP_ERRORS, 2, ConfigDef.Width.SHORT, "Retry backoff")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Longest computed backoff.", GROUP_ERRORS, 3, ConfigDef.Width.SHORT, "Max retry backoff")
            .define(ERROR_RETRY_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Wait before asking again after an error payload (it goes to dlq.topic; the offset stays).",
                    GROUP_ERRORS, 4, ConfigDef.Width.SHORT, "Error retry")
            .define(TOPIC, Type.STRING, "telemetry.raw", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic of the readings.", GROUP_MAPPING, 9, ConfigDef.Width.MEDIUM, "Topic")
            .define(DLQ_TOPIC, Type.STRING, "", Importance.MEDIUM,
                    "Dead-letter topic for error payloads and unmappable rows (original bytes, reason in headers); empty: log only.",
                    GROUP_ERRORS, 5, ConfigDef.Width.MEDIUM, "Dead-letter topic")
            .define(DLQ_BOOTSTRAP_SERVERS, Type.STRING, "", Importance.MEDIUM,
                    "Kafka bootstrap servers of the dead-letter producer (required with dlq.topic).",
                    GROUP_ERRORS, 6, ConfigDef.Width.MEDIUM, "Dead-letter bootstrap servers");

    private final Map<String, String> presetDefaults;

    public HttpSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        this.presetDefaults = KmaAsosPreset.NAME.equals(getString(PRESET)) ? KmaAsosPreset.defaults() : Map.of();
        check();
    }

    /** A string option after the preset: explicit settings win over the preset, the preset over the default. */
    public String string(String key) {
        if (originals().containsKey(key) || !presetDefaults.containsKey(key)) {
            Object value = get(key);
            if (value instanceof List<?> list) {
                return String.join(",", list.stream().map(Object::toString).toList());
            }
            return value == null ? "" : value.toString();
        }
        return presetDefaults.get(key);
    }

    public List<String> list(String key) {
        String value = string(key);
        return value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public long longValue(String key) {
        return Long.parseLong(string(key));
    }

    public int intValue(String key) {
        return Integer.parseInt(string(key));
    }

    public String secret() {
        Password password = getPassword(AUTH_SECRET);
        return password == null ? "" : password.value();
    }

    public String urlTemplate() {
        if (!presetDefaults.isEmpty() && !originals().containsKey(URL_TEMPLATE)) {
            String base = getString(API_BASE_URL).strip().replaceAll("/+$", "");
            return base + KmaAsosPreset.PATH;
        }
        return getString(URL_TEMPLATE);
    }

    public List<String> streams() {
        List<String> streams = list(STREAMS);
        return streams.isEmpty() ? List.of("") : streams;
    }

    public ZoneId zone() {
        return ZoneId.of(string(TIME_ZONE));
    }

    public UrlTemplate template() {
        return new UrlTemplate(urlTemplate(), zone());
    }

    public ResponseParser parser() {
        return new ResponseParser(
                ResponseParser.Format.valueOf(string(RESPONSE_FORMAT).toUpperCase(java.util.Locale.ROOT)),
                string(RECORDS_POINTER), string(RESULT_CODE_POINTER), string(RESULT_MESSAGE_POINTER),
                Set.copyOf(list(RESULT_CODE_OK)), Set.copyOf(list(RESULT_CODE_EMPTY)),
                string(TOTAL_COUNT_POINTER), string(CURSOR_POINTER), string(CSV_DELIMITER).charAt(0));
    }

    public RowMapper rowMapper() {
        String deviceField = string(DEVICE_FIELD);
        String line = string(LINE);
        return new RowMapper(new TimeParser(string(TIME_FORMAT), zone()), string(TIME_FIELD), getString(SITE),
                line.isBlank() ? null : line, deviceField.isBlank() ? null : deviceField, string(DEVICE),
                TagMapping.parseAll(list(TAGS)));
    }

    public SlicePlanner planner(Instant now) {
        Duration step = Duration.ofMillis(longValue(TIME_STEP_MS));
        Duration slice = Duration.ofMillis(longValue(SLICE_MS));
        String start = string(START_TIME);
        Instant startAt = start.isBlank() ? now.minus(slice) : parseStart(start, zone());
        return new SlicePlanner(startAt, step, slice, Duration.ofMillis(longValue(AVAILABILITY_LAG_MS)));
    }

    public StreamCursor.Paging paging() {
        return StreamCursor.Paging.valueOf(string(PAGING).toUpperCase(java.util.Locale.ROOT));
    }

    static Instant parseStart(String text, ZoneId zone) {
        String value = text.trim();
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException ignored) {
            // not an instant: a local date-time or a date in the API's zone
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        try {
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        return LocalDate.parse(value).atStartOfDay(zone).toInstant();
    }

    /** Cross-option checks a single validator cannot do; messages name the option. */
    private void check() {
        ProviderReferences.requireResolved(URL_TEMPLATE, getString(URL_TEMPLATE));
        ProviderReferences.requireResolved(AUTH_SECRET, secret());
        String template = urlTemplate();
        if (!presetDefaults.isEmpty() && !originals().containsKey(URL_TEMPLATE) && getString(API_BASE_URL).isBlank()) {
            throw new InvalidOption(API_BASE_URL, "", "preset " + getString(PRESET) + " needs the service's base URL");
        }
        String problem = UrlTemplate.validate(template);
        if (problem != null) {
            throw new InvalidOption(presetDefaults.isEmpty() ? URL_TEMPLATE : API_BASE_URL, template, problem);
        }
        for (String key : List.of(RECORDS_POINTER, RESULT_CODE_POINTER, RESULT_MESSAGE_POINTER, TOTAL_COUNT_POINTER, CURSOR_POINTER)) {
            String pointerProblem = ResponseParser.validatePointer(string(key));
            if (pointerProblem != null) {
                throw new InvalidOption(key, string(key), pointerProblem);
            }
        }
        if (string(TIME_FIELD).isBlank()) {
            throw new InvalidOption(TIME_FIELD, "", "the field holding the measurement time is required");
        }
        String formatProblem = TimeParser.validate(string(TIME_FORMAT));
        if (formatProblem != null) {
            throw new InvalidOption(TIME_FORMAT, string(TIME_FORMAT), formatProblem);
        }
        try {
            zone();
        } catch (DateTimeException e) {
            throw new InvalidOption(TIME_ZONE, string(TIME_ZONE), e.getMessage());
        }
        if (string(DEVICE_FIELD).isBlank() && string(DEVICE).isBlank()) {
            throw new InvalidOption(DEVICE_FIELD, "", "name the field holding the device, or set device");
        }
        try {
            TagMapping.parseAll(list(TAGS));
        } catch (IllegalArgumentException e) {
            throw new InvalidOption(TAGS, string(TAGS), e.getMessage());
        }
        if (longValue(SLICE_MS) < longValue(TIME_STEP_MS)) {
            throw new InvalidOption(SLICE_MS, longValue(SLICE_MS), "must be at least " + TIME_STEP_MS);
        }
        if (!"none".equals(string(AUTH_MODE)) && secret().isEmpty()) {
            throw new InvalidOption(AUTH_SECRET, "[hidden]", "auth.mode " + string(AUTH_MODE)
                    + " needs a secret (a ${file:...} or ${env:...} reference)");
        }
        if (!"none".equals(string(AUTH_MODE)) && string(AUTH_PARAM).isBlank()) {
            throw new InvalidOption(AUTH_PARAM, "", "auth.mode " + string(AUTH_MODE) + " needs the parameter name");
        }
        if (paging() == StreamCursor.Paging.CURSOR && string(CURSOR_POINTER).isBlank() && "json".equals(string(RESPONSE_FORMAT))) {
            throw new InvalidOption(CURSOR_POINTER, "", "paging=cursor needs the pointer to the next cursor");
        }
        if (!getString(DLQ_TOPIC).isBlank() && getString(DLQ_BOOTSTRAP_SERVERS).isBlank()) {
            throw new InvalidOption(DLQ_BOOTSTRAP_SERVERS, "", "required when dlq.topic is set");
        }
    }

    /** Task configs: the connector's, with the streams narrowed to the task's share. */
    public static Map<String, String> forStreams(Map<String, String> props, List<String> streams) {
        Map<String, String> copy = new HashMap<>(props);
        copy.put(STREAMS, String.join(",", streams));
        return copy;
    }

    private static ConfigDef.Validator pointer() {
        return (name, value) -> {
            String problem = ResponseParser.validatePointer((String) value);
            if (problem != null) {
                throw new ConfigException(name, value, problem);
            }
        };
    }

    /** Empty (generic mode) or an absolute http(s) URL with a host; the value is named in the message. */
    private static final class BaseUrl implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().strip();
            if (text.isEmpty()) {
                return;
            }
            ProviderReferences.requireResolved(name, text);
            String problem = UrlTemplate.validateBaseUrl(text);
            if (problem != null) {
                throw new ConfigException(name, value, problem);
            }
        }

        @Override
        public String toString() {
            return "http(s) URL with a host, e.g. http://127.0.0.1:8080/1360000/AsosHourlyInfoService";
        }
    }

    private static final class SingleChar implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().length() != 1) {
                throw new ConfigException(name, value, "must be exactly one character");
            }
        }

        @Override
        public String toString() {
            return "one character";
        }
    }

    private static final class TimeFormat implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String problem = TimeParser.validate((String) value);
            if (problem != null) {
                throw new ConfigException(name, value, problem);
            }
        }

        @Override
        public String toString() {
            return "DateTimeFormatter pattern, iso, epoch-millis or epoch-seconds";
        }
    }

    private static final class StartTime implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = (String) value;
            if (text == null || text.isBlank()) {
                return;
            }
            try {
                parseStart(text, ZoneId.of("UTC"));
            } catch (DateTimeParseException e) {
                throw new ConfigException(name, value, "not a date, local date-time or instant: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "ISO date, local date-time or instant";
        }
    }
}
