package io.tagstream.deadband;

import java.util.Arrays;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.tagstream.streams.common.StreamsAppConfig;

/** Options of the deadband app: the shared ones plus the defaults for tags without their own deadband. */
public final class DeadbandConfig extends StreamsAppConfig {

    public static final String DEFAULT_MODE = "deadband.default.mode";
    public static final String DEFAULT_WIDTH = "deadband.default.width";
    public static final String MAX_SILENCE_MS = "deadband.max.silence.ms";
    public static final String SEND_HELD_BEFORE_JUMP = "deadband.send.held.before.jump";

    public static final ConfigDef DEFINITION = baseDefinition("tagstream-deadband", "telemetry.raw", "telemetry.deadband",
            "dlq.deadband")
            .define(DEFAULT_MODE, Type.STRING, BandMode.ABSOLUTE.name(),
                    ConfigDef.ValidString.in(Arrays.stream(BandMode.values()).map(Enum::name).toArray(String[]::new)),
                    Importance.MEDIUM,
                    "Deadband mode of tags that have no deadband in the address map: ABSOLUTE, PERCENT_SPAN (of hi - lo "
                            + "from the address map), PERCENT_VALUE (of the last sent value) or OFF (every sample passes). "
                            + "Keep the imputation app's deadband.default.applies in step (false for OFF).")
            .define(DEFAULT_WIDTH, Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0.0), Importance.MEDIUM,
                    "Deadband width of tags without their own: engineering units for ABSOLUTE, percent for PERCENT_*. "
                            + "0 suppresses exact repeats only.")
            .define(MAX_SILENCE_MS, Type.LONG, 60_000L, ConfigDef.Range.between(1, 86_400_000L), Importance.MEDIUM,
                    "Heartbeat: a sample passes when this long has gone by since the tag's last sent sample, so a "
                            + "longer silence downstream means the data stopped. The imputation app's "
                            + "heartbeat.period.ms must be the same.")
            .define(SEND_HELD_BEFORE_JUMP, Type.BOOLEAN, true, Importance.LOW,
                    "Before a sample that leaves the band or changes quality, also send the last suppressed sample, "
                            + "so step interpolation downstream is exact.");

    public DeadbandConfig(Map<?, ?> originals) {
        super(DEFINITION, originals);
    }

    /** Settings of tags that have no deadband in the address map; hi / lo come from the map when known. */
    DeadbandSettings defaults(Double hi, Double lo) {
        return new DeadbandSettings(BandMode.valueOf(getString(DEFAULT_MODE)), getDouble(DEFAULT_WIDTH), hi, lo,
                getLong(MAX_SILENCE_MS), getBoolean(SEND_HELD_BEFORE_JUMP));
    }
}
