package io.tagstream.alerts;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.schema.Severity;
import io.tagstream.streams.common.StreamsAppConfig;

/**
 * Options of the alerts app: the shared ones plus where thresholds come from and the defaults of tags that
 * no ops.thresholds rule covers.
 */
public final class AlertsConfig extends StreamsAppConfig {

    public static final String THRESHOLDS_TOPIC = "alerts.thresholds.topic";
    public static final String DEFAULT_SEVERITY = "alerts.default.severity";
    public static final String DEFAULT_HYSTERESIS = "alerts.default.hysteresis";
    public static final String DEFAULT_ON_DELAY_MS = "alerts.default.on.delay.ms";
    public static final String DEFAULT_CLEAR_DELAY_MS = "alerts.default.clear.delay.ms";
    public static final String DEFAULT_STALE_AFTER_MS = "alerts.default.stale.after.ms";
    public static final String DEFAULT_BAD_QUALITY_AFTER_MS = "alerts.default.bad.quality.after.ms";
    public static final String STALE_SEVERITY = "alerts.stale.severity";
    public static final String BAD_QUALITY_SEVERITY = "alerts.bad.quality.severity";
    public static final String STALE_CHECK_INTERVAL_MS = "alerts.stale.check.interval.ms";

    private static final String[] SEVERITIES = {Severity.WARNING.name(), Severity.CRITICAL.name()};

    public static final ConfigDef DEFINITION = baseDefinition("tagstream-alerts", "telemetry.clean", "alerts.events",
            "dlq.alerts")
            .define(THRESHOLDS_TOPIC, Type.STRING, "ops.thresholds", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Compacted topic of the ops.thresholds rules (Debezium CDC, flattened, key = rule_id). Every "
                            + "instance reads all of it (global store); a change applies to the next reading.")
            .define(DEFAULT_SEVERITY, Type.STRING, Severity.WARNING.name(), ConfigDef.ValidString.in(SEVERITIES),
                    Importance.MEDIUM, "Severity of the address map's hi / lo limits, for tags no ops.thresholds "
                            + "rule covers: WARNING or CRITICAL.")
            .define(DEFAULT_HYSTERESIS, Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0.0), Importance.LOW,
                    "Hysteresis of the address-map limits, in engineering units: an alert clears only when the "
                            + "value is back inside hi - hysteresis / lo + hysteresis.")
            .define(DEFAULT_ON_DELAY_MS, Type.LONG, 0L, ConfigDef.Range.between(0, 86_400_000L), Importance.LOW,
                    "On-delay of the address-map limits: exceeded continuously this long (reading time) before raising.")
            .define(DEFAULT_CLEAR_DELAY_MS, Type.LONG, 0L, ConfigDef.Range.between(0, 86_400_000L), Importance.LOW,
                    "Clear-delay of the address-map limits and of BAD_QUALITY: back to normal this long before clearing.")
            .define(DEFAULT_STALE_AFTER_MS, Type.LONG, 300_000L, ConfigDef.Range.between(0, 604_800_000L), Importance.MEDIUM,
                    "STALE when no reading of a tag was seen for this long (wall clock), for every tag and rule that "
                            + "does not set stale_after_ms. 0 turns the default off. Keep it above the deadband "
                            + "heartbeat (deadband.max.silence.ms).")
            .define(DEFAULT_BAD_QUALITY_AFTER_MS, Type.LONG, 60_000L, ConfigDef.Range.between(-1, 604_800_000L),
                    Importance.MEDIUM, "BAD_QUALITY when readings have been BAD for this long (reading time), for "
                            + "every tag and rule that does not set bad_quality_after_ms. 0 = on the first BAD "
                            + "reading, -1 turns the default off.")
            .define(STALE_SEVERITY, Type.STRING, Severity.CRITICAL.name(), ConfigDef.ValidString.in(SEVERITIES),
                    Importance.LOW, "Severity of STALE alerts: WARNING or CRITICAL.")
            .define(BAD_QUALITY_SEVERITY, Type.STRING, Severity.WARNING.name(), ConfigDef.ValidString.in(SEVERITIES),
                    Importance.LOW, "Severity of BAD_QUALITY alerts: WARNING or CRITICAL.")
            .define(STALE_CHECK_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.between(100, 600_000L), Importance.LOW,
                    "How often (wall clock) the tags are checked for STALE; a STALE alert comes at most this late.");

    public AlertsConfig(Map<?, ?> originals) {
        super(DEFINITION, originals);
    }

    /** The defaults of tags without a rule, from the address map (may be absent) and these options. */
    public TagDefaults tagDefaults(Optional<AddressMap> map) {
        Thresholds base = new Thresholds(TagDefaults.DEFAULT_RULE, null, null, null, null, getDouble(DEFAULT_HYSTERESIS),
                getLong(DEFAULT_ON_DELAY_MS), getLong(DEFAULT_CLEAR_DELAY_MS), getLong(DEFAULT_STALE_AFTER_MS),
                getLong(DEFAULT_BAD_QUALITY_AFTER_MS), Severity.valueOf(getString(STALE_SEVERITY)),
                Severity.valueOf(getString(BAD_QUALITY_SEVERITY)));
        return new TagDefaults(map, Severity.valueOf(getString(DEFAULT_SEVERITY)), base);
    }
}
