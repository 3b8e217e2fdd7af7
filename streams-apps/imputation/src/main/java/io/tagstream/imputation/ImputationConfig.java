package io.tagstream.imputation;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.tagstream.schema.Imputation;
import io.tagstream.streams.common.StreamsAppConfig;

/** Options of the imputation app: the shared ones plus how gaps are detected and filled. */
public final class ImputationConfig extends StreamsAppConfig {

    public static final String METHOD = "imputation.method";
    public static final String TOLERANCE = "imputation.tolerance";
    public static final String MAX_GAP_MS = "imputation.max.gap.ms";
    public static final String HEARTBEAT_PERIOD_MS = "heartbeat.period.ms";
    public static final String DEADBAND_DEFAULT_APPLIES = "deadband.default.applies";
    public static final String DEFAULT_PERIOD_MS = "default.period.ms";

    public static final ConfigDef DEFINITION = baseDefinition("tagstream-imputation", "telemetry.deadband", "telemetry.clean",
            "dlq.imputation")
            .define(METHOD, Type.STRING, Imputation.LOCF.name(), ConfigDef.ValidString.in("LOCF", "LINEAR"),
                    Importance.MEDIUM, "How gaps are filled: LOCF (last value carried forward; matches the step "
                            + "semantics of deadbanded data) or LINEAR (between the values either side of the gap).")
            .define(TOLERANCE, Type.DOUBLE, 1.5, ConfigDef.Range.between(1.0, 1000.0), Importance.MEDIUM,
                    "A gap is filled when it is longer than expected period x tolerance.")
            .define(MAX_GAP_MS, Type.LONG, 600_000L, ConfigDef.Range.between(1, 30L * 86_400_000L), Importance.MEDIUM,
                    "Gaps this long or longer are left open (the data really stopped; alerts report it as STALE).")
            .define(HEARTBEAT_PERIOD_MS, Type.LONG, 60_000L, ConfigDef.Range.between(1, 86_400_000L), Importance.MEDIUM,
                    "Expected period of tags the deadband app deadbands: its heartbeat, so keep it equal to the deadband "
                            + "app's deadband.max.silence.ms.")
            .define(DEADBAND_DEFAULT_APPLIES, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Whether the deadband app deadbands tags that have no deadband in the address map (true unless its "
                            + "deadband.default.mode is OFF). Tags with a deadband in the map always use heartbeat.period.ms.")
            .define(DEFAULT_PERIOD_MS, Type.LONG, 1_000L, ConfigDef.Range.between(1, 86_400_000L), Importance.LOW,
                    "Expected period of tags that are not deadbanded and not in the address map (tags in the map use "
                            + "their period_ms).");

    public ImputationConfig(Map<?, ?> originals) {
        super(DEFINITION, originals);
    }

    GapSettings settings(long expectedPeriodMs) {
        return new GapSettings(expectedPeriodMs, getDouble(TOLERANCE), getLong(MAX_GAP_MS), Imputation.valueOf(getString(METHOD)));
    }
}
