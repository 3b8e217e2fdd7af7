package io.tagstream.connect.modbus;

import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.addressmap.AddressMapException;
import io.tagstream.connect.config.ProviderReferences;
import io.tagstream.connect.modbus.core.RequestPlanner;

/** Configuration of the Modbus source connector and its tasks. */
public final class ModbusSourceConfig extends AbstractConfig {

    public static final String ADDRESS_MAP = "modbus.address.map";
    public static final String TOPIC = "topic";
    public static final String REQUEST_TIMEOUT_MS = "modbus.request.timeout.ms";
    public static final String REQUEST_RETRIES = "modbus.request.retries";
    public static final String RECONNECT_BACKOFF_INITIAL_MS = "modbus.reconnect.backoff.initial.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS = "modbus.reconnect.backoff.max.ms";
    public static final String MAX_REGISTERS_PER_REQUEST = "modbus.max.registers.per.request";
    public static final String MAX_BITS_PER_REQUEST = "modbus.max.bits.per.request";
    public static final String MAX_GAP = "modbus.request.max.gap";
    public static final String REQUEST_PAUSE_MS = "modbus.request.pause.ms";
    public static final String CLOSE_AFTER_POLL = "modbus.close.connection.after.poll";
    /** Set by the connector on each task: the connections (tcp://host:port, comma-separated) it polls. */
    public static final String TASK_CONNECTIONS = "modbus.task.connections";
    /** Set by the connector on each task: the connector's name, written as the readings' source. */
    public static final String TASK_SOURCE = "modbus.task.source";

    private static final String GROUP_MAP = "Address map";
    private static final String GROUP_PROTOCOL = "Modbus requests";
    private static final String GROUP_FAULTS = "Faults";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(ADDRESS_MAP, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new AddressMapValidator(), Importance.HIGH,
                    "The address-map CSV text of the tags this connector polls (header site,line,device,tag,protocol,conn,"
                            + "unit_id,address,type,scale,offset,period_ms,unit,hi,lo and optional word_order,deadband,"
                            + "deadband_mode). Rows may span several devices and connections. Validated as a whole: every "
                            + "problem is reported with its CSV line and value.",
                    GROUP_MAP, 1, Width.LONG, "Address map")
            .define(TOPIC, Type.STRING, "telemetry.raw", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic the Reading records are written to.", GROUP_MAP, 2, Width.MEDIUM, "Topic")
            .define(REQUEST_TIMEOUT_MS, Type.INT, 1000, Range.between(50, 60_000), Importance.MEDIUM,
                    "How long to wait for a device's response (and for a connection) before the request counts as failed.",
                    GROUP_PROTOCOL, 1, Width.SHORT, "Request timeout (ms)")
            .define(MAX_REGISTERS_PER_REQUEST, Type.INT, RequestPlanner.PROTOCOL_MAX_REGISTERS,
                    Range.between(4, RequestPlanner.PROTOCOL_MAX_REGISTERS), Importance.MEDIUM,
                    "Largest number of registers one read (functions 3 and 4) may ask for; lower it for devices that "
                            + "choke on long reads. At least 4, so a 64-bit value fits.",
                    GROUP_PROTOCOL, 2, Width.SHORT, "Max registers per request")
            .define(MAX_BITS_PER_REQUEST, Type.INT, RequestPlanner.PROTOCOL_MAX_BITS,
                    Range.between(1, RequestPlanner.PROTOCOL_MAX_BITS), Importance.LOW,
                    "Largest number of coils or discrete inputs one read (functions 1 and 2) may ask for.",
                    GROUP_PROTOCOL, 3, Width.SHORT, "Max bits per request")
            .define(MAX_GAP, Type.INT, 10, Range.between(0, RequestPlanner.PROTOCOL_MAX_BITS), Importance.LOW,
                    "Tags of the same unit id and table are merged into one request when at most this many unused "
                            + "registers (or bits) lie between them. 0 reads only contiguous tags together, for devices "
                            + "that reject reads of unmapped registers.",
                    GROUP_PROTOCOL, 4, Width.SHORT, "Max gap")
            .define(REQUEST_PAUSE_MS, Type.INT, 0, Range.between(0, 10_000), Importance.LOW,
                    "Pause between two requests to the same device, for devices that cannot take back-to-back requests.",
                    GROUP_PROTOCOL, 5, Width.SHORT, "Pause between requests (ms)")
            .define(CLOSE_AFTER_POLL, Type.BOOLEAN, false, Importance.LOW,
                    "Close the TCP connection after each poll and open a new one for the next, for fragile devices "
                            + "that drop idle connections or allow only a few.",
                    GROUP_PROTOCOL, 6, Width.SHORT, "Close connection after each poll")
            .define(REQUEST_RETRIES, Type.INT, 1, Range.between(0, 10), Importance.MEDIUM,
                    "How many times a failed request is retried at once before its tags get BAD readings.",
                    GROUP_FAULTS, 1, Width.SHORT, "Request retries")
            .define(RECONNECT_BACKOFF_INITIAL_MS, Type.LONG, 500L, Range.between(1, 600_000), Importance.MEDIUM,
                    "Wait before the first reconnection attempt after a device connection is lost; doubled after each "
                            + "failed attempt up to " + RECONNECT_BACKOFF_MAX_MS + ". While a device is unreachable its "
                            + "tags get BAD readings at their period.",
                    GROUP_FAULTS, 2, Width.SHORT, "Reconnect backoff initial (ms)")
            .define(RECONNECT_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.between(1, 3_600_000), Importance.MEDIUM,
                    "Upper bound of the reconnection backoff, so a returning device is picked up within this time.",
                    GROUP_FAULTS, 3, Width.SHORT, "Reconnect backoff max (ms)")
            .defineInternal(TASK_CONNECTIONS, Type.STRING, "", Importance.LOW)
            .defineInternal(TASK_SOURCE, Type.STRING, "modbus-source", Importance.LOW);

    private final AddressMap addressMap;

    public ModbusSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        this.addressMap = parseAddressMap(ADDRESS_MAP, getString(ADDRESS_MAP));
        if (getLong(RECONNECT_BACKOFF_MAX_MS) < getLong(RECONNECT_BACKOFF_INITIAL_MS)) {
            throw new ConfigException(RECONNECT_BACKOFF_MAX_MS, getLong(RECONNECT_BACKOFF_MAX_MS),
                    "must be at least " + RECONNECT_BACKOFF_INITIAL_MS + " (" + getLong(RECONNECT_BACKOFF_INITIAL_MS) + ")");
        }
    }

    public AddressMap addressMap() {
        return addressMap;
    }

    public String topic() {
        return getString(TOPIC);
    }

    public RequestPlanner planner() {
        return new RequestPlanner(getInt(MAX_REGISTERS_PER_REQUEST), getInt(MAX_BITS_PER_REQUEST), getInt(MAX_GAP));
    }

    /**
     * The option's value as an address map. The value is the CSV text itself; a file name given instead
     * (a one-line value without a comma can never be a map) gets a message saying how to use a file.
     */
    static AddressMap parseAddressMap(String option, String value) {
        String text = value == null ? "" : value;
        ProviderReferences.requireResolved(option, text);
        String trimmed = text.strip();
        if (!trimmed.isEmpty() && !trimmed.contains("\n") && !trimmed.contains(",")) {
            throw new ConfigException(option, trimmed, fileNameAdvice(trimmed));
        }
        try {
            return AddressMap.parse(text);
        } catch (AddressMapException e) {
            // the CSV itself is long; the message carries each problem's line, column and value
            throw new ConfigException(option + ": " + e.getMessage());
        }
    }

    private static String fileNameAdvice(String value) {
        String properties = value.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                ? value.substring(0, value.length() - 4) + ".properties" : value + ".properties";
        return "expects the address-map CSV text (the header line site,line,device,tag,... and one row per tag), not a file "
                + "name. To keep the map in a file, either inline it when you create the connector, e.g. jq --rawfile map "
                + value + " '.config[\"" + ADDRESS_MAP + "\"] = $map' connector.json, or reference a properties file through the "
                + "worker's file config provider: " + ADDRESS_MAP + "=${file:" + properties + ":address.map} with the CSV as the "
                + "value of address.map, every line but the last ending in \\n\\ (Connect's FileConfigProvider reads "
                + "key=value properties, not a CSV file)";
    }

    /** Parses the address map and reports its problems through Connect's validate endpoint. */
    static final class AddressMapValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            parseAddressMap(name, value == null ? null : value.toString());
        }

        @Override
        public String toString() {
            return "address-map CSV text (ARCHITECTURE.md section 4)";
        }
    }
}
