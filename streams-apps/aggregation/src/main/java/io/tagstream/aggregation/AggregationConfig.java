package io.tagstream.aggregation;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.tagstream.streams.common.StreamsAppConfig;

/**
 * Options of the aggregation app: the shared ones (without {@code address.map.path}, which it does not use;
 * {@code output.topic} is the 1-minute topic) plus the 1-hour and late topics, the window clock, the grace and the
 * longest step.
 */
public final class AggregationConfig extends StreamsAppConfig {

    public static final String HOUR_OUTPUT_TOPIC = "output.topic.1h";
    public static final String LATE_TOPIC = "late.topic";
    public static final String GRACE_MS = "window.grace.ms";
    public static final String MAX_STEP_MS = "twa.max.step.ms";
    public static final String WINDOW_CLOCK = "window.clock";

    public static final ConfigDef DEFINITION = definition();

    public AggregationConfig(Map<?, ?> originals) {
        super(DEFINITION, originals);
    }

    private static ConfigDef definition() {
        ConfigDef base = baseDefinition("tagstream-aggregation", "telemetry.clean", "telemetry.agg.1m", "dlq.aggregation");
        ConfigDef definition = new ConfigDef();
        for (ConfigDef.ConfigKey key : base.configKeys().values()) {
            if (key.name.equals(ADDRESS_MAP_PATH)) {
                continue; // no per-tag settings in this app
            }
            if (key.name.equals(OUTPUT_TOPIC)) {
                definition.define(OUTPUT_TOPIC, Type.STRING, "telemetry.agg.1m", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Topic of the 1-minute Aggregates (key site/device/tag), one final record "
                                + "per tag and minute that had readings.");
                definition.define(HOUR_OUTPUT_TOPIC, Type.STRING, "telemetry.agg.1h", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Topic of the 1-hour Aggregates, rolled up from the tag's 1-minute results; "
                                + "one final record per tag and hour that had readings.");
                definition.define(LATE_TOPIC, Type.STRING, "telemetry.late", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Readings whose minute had already closed go here (tagstream.late.* "
                                + "headers say why) instead of into an aggregate.");
                continue;
            }
            definition.define(key);
        }
        return definition
                .define(WINDOW_CLOCK, Type.STRING, WindowClock.TAG.configValue(),
                        ConfigDef.CaseInsensitiveValidString.in(WindowClock.TAG.configValue(),
                                WindowClock.PARTITION.configValue()), Importance.MEDIUM,
                        "The time that closes windows. 'tag': the newest measurement time seen for that tag, so every "
                                + "tag runs on its own clock and sources that deliver late by design (hourly API rows, "
                                + "backfills) are aggregated even when they share a partition with live tags; a silent "
                                + "tag's open windows stay open until it sends again (the deadband heartbeat keeps live "
                                + "tags moving). 'partition': the newest measurement time seen on the input partition "
                                + "(Kafka Streams' stream time); a tag lagging its partition by more than the grace has "
                                + "all its readings go to the late topic.")
                .define(GRACE_MS, Type.LONG, 30_000L, ConfigDef.Range.between(0, 86_400_000L), Importance.MEDIUM,
                        "How long after its end a 1-minute window still accepts readings, measured on the window "
                                + "clock (window.clock). Then it is emitted, once; an hour is emitted when its last "
                                + "minute is. Later readings go to the late topic.")
                .define(MAX_STEP_MS, Type.LONG, 600_000L, ConfigDef.Range.between(1, 30L * 86_400_000L), Importance.MEDIUM,
                        "Time-weighted average (step interpolation): a value stays in force until the next sample, "
                                + "at most this long. Keep it equal to the imputation app's imputation.max.gap.ms: a "
                                + "longer silence means the data stopped, and that time is not averaged.");
    }

    AggregationTopology.Topics topics() {
        return new AggregationTopology.Topics(getString(INPUT_TOPIC), getString(OUTPUT_TOPIC), getString(HOUR_OUTPUT_TOPIC),
                getString(LATE_TOPIC));
    }

    AggregationTopology.Settings settings() {
        return new AggregationTopology.Settings(getLong(GRACE_MS), getLong(MAX_STEP_MS),
                WindowClock.of(getString(WINDOW_CLOCK)));
    }
}
