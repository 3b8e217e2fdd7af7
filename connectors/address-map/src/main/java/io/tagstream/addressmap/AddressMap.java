package io.tagstream.addressmap;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The address map: one CSV row per tag, validated as a whole before anything runs (ARCHITECTURE.md
 * section 4). Columns are found by header name, so their order is free; unknown columns are refused
 * because they are almost always typos of optional ones.
 */
public final class AddressMap {

    public static final List<String> REQUIRED_COLUMNS = List.of("site", "line", "device", "tag", "protocol", "conn",
            "unit_id", "address", "type", "scale", "offset", "period_ms", "unit", "hi", "lo");
    public static final List<String> OPTIONAL_COLUMNS = List.of("word_order", "deadband", "deadband_mode");
    public static final int MIN_PERIOD_MS = 200;
    public static final Set<String> PROTOCOLS = Set.of("modbus");

    private final List<TagDefinition> tags;
    private final Map<String, TagDefinition> byKey;

    private AddressMap(List<TagDefinition> tags) {
        this.tags = List.copyOf(tags);
        Map<String, TagDefinition> index = new HashMap<>();
        tags.forEach(t -> index.put(t.key(), t));
        this.byKey = Collections.unmodifiableMap(index);
    }

    public static AddressMap read(Path file) throws IOException, AddressMapException {
        return parse(Files.readAllBytes(file));
    }

    /**
     * Parses a file's bytes, which must be UTF-8 (a leading byte-order mark is allowed): the first byte
     * that is not is reported with its line and byte offset.
     */
    public static AddressMap parse(byte[] csv) throws AddressMapException {
        return parse(Utf8Text.decode(csv));
    }

    /** Parses and validates; every problem in the text is reported together. */
    public static AddressMap parse(String csv) throws AddressMapException {
        if (isEmpty(csv)) {
            throw new AddressMapException(List.of(new AddressMapException.Problem(1, null, null,
                    "the address map is empty: expected the header line " + String.join(",", REQUIRED_COLUMNS)
                            + " and one row per tag")));
        }
        List<AddressMapException.Problem> problems = new ArrayList<>();
        List<TagDefinition> tags = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
                .setCommentMarker('#')
                .build();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv.startsWith("\uFEFF") ? csv.substring(1) : csv), format)) {
            List<String> header = parser.getHeaderNames().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
            for (String column : REQUIRED_COLUMNS) {
                if (!header.contains(column)) {
                    problems.add(new AddressMapException.Problem(1, column, null, "required column missing"));
                }
            }
            for (String column : header) {
                if (!REQUIRED_COLUMNS.contains(column) && !OPTIONAL_COLUMNS.contains(column)) {
                    problems.add(new AddressMapException.Problem(1, column, null,
                            "unknown column (optional columns: " + String.join(", ", OPTIONAL_COLUMNS) + ")"));
                }
            }
            if (!problems.isEmpty()) {
                throw new AddressMapException(problems);
            }
            Map<String, String> headerByName = new HashMap<>();
            parser.getHeaderNames().forEach(h -> headerByName.put(h.trim().toLowerCase(Locale.ROOT), h));
            for (CSVRecord record : parser) {
                Row row = new Row(record, headerByName, problems);
                TagDefinition tag = row.toTag();
                if (tag != null) {
                    tags.add(tag);
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            // commons-csv reports malformed quoting and duplicate headers this way
            problems.add(new AddressMapException.Problem(1, null, null, "not a readable CSV: " + e.getMessage()));
        }
        checkUniqueKeys(tags, problems);
        checkNoOverlaps(tags, problems);
        if (tags.isEmpty() && problems.isEmpty()) {
            problems.add(new AddressMapException.Problem(1, null, null, "the address map has no tags"));
        }
        if (!problems.isEmpty()) {
            problems.sort((a, b) -> Integer.compare(a.line(), b.line()));
            throw new AddressMapException(problems);
        }
        return new AddressMap(tags);
    }

    /** Nothing but blanks, a byte-order mark and # comments: no header line at all. */
    private static boolean isEmpty(String csv) {
        return csv == null || csv.lines().map(l -> l.replace("\uFEFF", "").strip())
                .allMatch(l -> l.isEmpty() || l.startsWith("#"));
    }

    public List<TagDefinition> tags() {
        return tags;
    }

    public Optional<TagDefinition> find(String site, String device, String tag) {
        return Optional.ofNullable(byKey.get(TagDefinition.key(site, device, tag)));
    }

    public Optional<TagDefinition> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** Tags grouped by the device connection they are read through, in map order. */
    public Map<ModbusConnection, List<TagDefinition>> byConnection() {
        Map<ModbusConnection, List<TagDefinition>> groups = new LinkedHashMap<>();
        for (TagDefinition tag : tags) {
            groups.computeIfAbsent(tag.connection(), c -> new ArrayList<>()).add(tag);
        }
        return groups;
    }

    private static void checkUniqueKeys(List<TagDefinition> tags, List<AddressMapException.Problem> problems) {
        Map<String, TagDefinition> seen = new HashMap<>();
        for (TagDefinition tag : tags) {
            TagDefinition first = seen.putIfAbsent(tag.key(), tag);
            if (first != null) {
                problems.add(new AddressMapException.Problem(tag.csvLine(), "tag", tag.key(),
                        "duplicate (site, device, tag); first defined on line " + first.csvLine()));
            }
        }
    }

    /**
     * Two tags of one device must not share a register, except different bits of the same register. A
     * device is (site, device) and its unit id; the same register number in different tables is fine.
     */
    private static void checkNoOverlaps(List<TagDefinition> tags, List<AddressMapException.Problem> problems) {
        Map<String, List<TagDefinition>> byTable = new LinkedHashMap<>();
        for (TagDefinition tag : tags) {
            String table = tag.site() + "/" + tag.device() + "/" + tag.unitId() + "/" + tag.address().kind();
            byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(tag);
        }
        for (List<TagDefinition> group : byTable.values()) {
            List<TagDefinition> sorted = new ArrayList<>(group);
            sorted.sort((a, b) -> Integer.compare(a.address().offset(), b.address().offset()));
            for (int i = 0; i < sorted.size(); i++) {
                TagDefinition a = sorted.get(i);
                for (int j = i + 1; j < sorted.size(); j++) {
                    TagDefinition b = sorted.get(j);
                    if (b.address().offset() > a.address().lastOffset(a.type())) {
                        break;
                    }
                    boolean distinctBits = a.address().bit() != null && b.address().bit() != null
                            && a.address().offset() == b.address().offset() && !a.address().bit().equals(b.address().bit());
                    if (!distinctBits) {
                        TagDefinition later = a.csvLine() > b.csvLine() ? a : b;
                        TagDefinition earlier = later == a ? b : a;
                        problems.add(new AddressMapException.Problem(later.csvLine(), "address", later.address().toString(),
                                "overlaps " + earlier.key() + " at " + earlier.address() + " (" + earlier.type()
                                        + ", line " + earlier.csvLine() + ")"));
                    }
                }
            }
        }
    }

    /** One CSV record being turned into a tag; collects its problems instead of stopping at the first. */
    private static final class Row {
        private final CSVRecord record;
        private final Map<String, String> headerByName;
        private final List<AddressMapException.Problem> problems;
        private final int line;
        private boolean valid = true;

        Row(CSVRecord record, Map<String, String> headerByName, List<AddressMapException.Problem> problems) {
            this.record = record;
            this.headerByName = headerByName;
            this.problems = problems;
            // the header is line 1; getRecordNumber counts data records from 1
            this.line = (int) record.getRecordNumber() + 1;
        }

        TagDefinition toTag() {
            if (!record.isConsistent()) {
                problem(null, null, "expected " + headerByName.size() + " fields, found " + record.size());
                return null;
            }
            String site = required("site");
            String lineName = optional("line");
            String device = required("device");
            String tag = required("tag");
            for (String column : List.of("site", "device", "tag")) {
                String value = text(column);
                if (value.contains("/")) {
                    problem(column, value, "must not contain '/': it separates site/device/tag in record keys");
                }
            }
            String protocol = required("protocol");
            if (protocol != null && !PROTOCOLS.contains(protocol.toLowerCase(Locale.ROOT))) {
                problem("protocol", protocol, "unknown protocol; expected one of " + PROTOCOLS);
            }
            ModbusConnection connection = parse("conn", true, ModbusConnection::parse);
            Integer unitId = parse("unit_id", true, Integer::parseInt);
            if (unitId != null && (unitId < 0 || unitId > 255)) {
                problem("unit_id", text("unit_id"), "must be within 0..255");
            }
            RegisterAddress address = parse("address", true, RegisterAddress::parse);
            DataType type = parse("type", true, v -> enumValue(DataType.class, v));
            Double scale = parse("scale", true, AddressMap.Row::finite);
            if (scale != null && scale == 0) {
                problem("scale", text("scale"), "must not be 0 (every value would read 0)");
            }
            Double offset = parse("offset", true, AddressMap.Row::finite);
            Integer period = parse("period_ms", true, Integer::parseInt);
            if (period != null && period < MIN_PERIOD_MS) {
                problem("period_ms", text("period_ms"), "must be at least " + MIN_PERIOD_MS + " ms");
            }
            String unit = optional("unit");
            Double hi = parse("hi", false, AddressMap.Row::finite);
            Double lo = parse("lo", false, AddressMap.Row::finite);
            if (hi != null && lo != null && hi <= lo) {
                problem("hi", text("hi"), "must be greater than lo (" + text("lo") + ")");
            }
            WordOrder wordOrder = parse("word_order", false, v -> enumValue(WordOrder.class, v));
            Double deadband = parse("deadband", false, AddressMap.Row::finite);
            if (deadband != null && deadband < 0) {
                problem("deadband", text("deadband"), "must not be negative");
            }
            DeadbandMode deadbandMode = parse("deadband_mode", false, v -> enumValue(DeadbandMode.class, v));
            if (deadbandMode != null && deadband == null) {
                problem("deadband_mode", text("deadband_mode"), "given without a deadband");
            }
            if (deadband != null && deadbandMode == null) {
                deadbandMode = DeadbandMode.ABSOLUTE;
            }
            if (deadbandMode == DeadbandMode.PERCENT_SPAN && (hi == null || lo == null)) {
                problem("deadband_mode", text("deadband_mode"), "PERCENT_SPAN needs both hi and lo");
            }
            if (address != null && type != null) {
                checkTypeFitsAddress(address, type);
            }
            if (wordOrder != null && type != null && type.registers() == 1) {
                problem("word_order", text("word_order"), "only applies to 32- and 64-bit types, not " + type);
            }
            if (!valid) {
                return null;
            }
            return new TagDefinition(line, site, lineName, device, tag, protocol.toLowerCase(Locale.ROOT), connection,
                    unitId, address, type, scale, offset, period, unit, hi, lo,
                    wordOrder == null ? WordOrder.ABCD : wordOrder, deadband, deadbandMode);
        }

        private void checkTypeFitsAddress(RegisterAddress address, DataType type) {
            if (address.kind().isBitTable() && type != DataType.BOOL) {
                problem("type", type.name(), address.kind() + " " + address + " holds a single bit; use BOOL");
            } else if (address.bit() != null && type != DataType.BOOL) {
                problem("type", type.name(), "a bit address (" + address + ") needs type BOOL");
            } else if (type == DataType.BOOL && !address.kind().isBitTable() && address.bit() == null) {
                problem("address", address.toString(), "BOOL in a register needs a bit, e.g. " + address + ".0");
            } else if (address.lastOffset(type) > 65535) {
                problem("address", address.toString(), type + " runs past the last protocol address 65535");
            }
        }

        private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("unknown; expected one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }

        private static double finite(String text) {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("must be a finite number");
            }
            return value;
        }

        private String text(String column) {
            String header = headerByName.get(column);
            return header == null || !record.isSet(header) ? "" : record.get(header).trim();
        }

        private String required(String column) {
            String value = text(column);
            if (value.isEmpty()) {
                problem(column, null, "required value missing");
                return null;
            }
            return value;
        }

        private String optional(String column) {
            String value = text(column);
            return value.isEmpty() ? null : value;
        }

        private <T> T parse(String column, boolean isRequired, Function<String, T> parser) {
            String value = text(column);
            if (value.isEmpty()) {
                if (isRequired) {
                    problem(column, null, "required value missing");
                }
                return null;
            }
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                String reason = e instanceof NumberFormatException ? "not a number" : e.getMessage();
                problem(column, value, reason);
                return null;
            }
        }

        private void problem(String column, String value, String message) {
            valid = false;
            problems.add(new AddressMapException.Problem(line, column, value, message));
        }
    }
}
