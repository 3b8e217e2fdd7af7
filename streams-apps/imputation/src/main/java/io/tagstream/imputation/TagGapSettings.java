package io.tagstream.imputation;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.addressmap.TagDefinition;

/**
 * The gap settings of each tag, by key {@code site/device/tag}. The expected period is the heartbeat
 * period when the deadband app deadbands the tag (it has a deadband in the address map, or the deadband
 * default applies), else the tag's {@code period_ms}, else {@code default.period.ms}. Resolved once per tag.
 */
public final class TagGapSettings implements Function<String, GapSettings> {

    private static final Logger LOG = LoggerFactory.getLogger(TagGapSettings.class);

    private final Optional<AddressMap> map;
    private final ImputationConfig config;
    private final ConcurrentHashMap<String, GapSettings> resolved = new ConcurrentHashMap<>();
    private final AtomicBoolean unknownLogged = new AtomicBoolean();

    public TagGapSettings(Optional<AddressMap> map, ImputationConfig config) {
        this.map = map;
        this.config = config;
    }

    @Override
    public GapSettings apply(String key) {
        GapSettings settings = resolved.get(key);
        return settings != null ? settings : resolved.computeIfAbsent(key, this::resolve);
    }

    private GapSettings resolve(String key) {
        Optional<TagDefinition> tag = map.flatMap(m -> m.find(key));
        boolean defaultDeadband = config.getBoolean(ImputationConfig.DEADBAND_DEFAULT_APPLIES);
        long heartbeat = config.getLong(ImputationConfig.HEARTBEAT_PERIOD_MS);
        if (tag.isEmpty()) {
            if (map.isPresent() && unknownLogged.compareAndSet(false, true)) {
                LOG.info("tag {} is not in the address map; it and other unknown tags use the default period "
                        + "(further unknown tags at DEBUG)", key);
            } else {
                LOG.debug("tag {} uses the default period", key);
            }
            return config.settings(defaultDeadband ? heartbeat : config.getLong(ImputationConfig.DEFAULT_PERIOD_MS));
        }
        boolean deadbanded = tag.get().deadband() != null || defaultDeadband;
        return config.settings(deadbanded ? heartbeat : tag.get().periodMs());
    }
}
