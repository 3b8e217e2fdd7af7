package io.tagstream.deadband;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.addressmap.TagDefinition;

/**
 * The deadband of each tag, by key {@code site/device/tag}: from the address map ({@code deadband},
 * {@code deadband_mode}, {@code hi}, {@code lo}) when the tag is there, else the configured defaults.
 * Resolved once per tag and cached (settings are immutable for the life of the process).
 */
public final class TagDeadbands implements Function<String, DeadbandSettings> {

    private static final Logger LOG = LoggerFactory.getLogger(TagDeadbands.class);

    private final Optional<AddressMap> map;
    private final DeadbandConfig config;
    private final ConcurrentHashMap<String, DeadbandSettings> resolved = new ConcurrentHashMap<>();
    private final AtomicBoolean unknownLogged = new AtomicBoolean();
    private final AtomicBoolean defaultProblemLogged = new AtomicBoolean();

    public TagDeadbands(Optional<AddressMap> map, DeadbandConfig config) {
        this.map = map;
        this.config = config;
    }

    @Override
    public DeadbandSettings apply(String key) {
        DeadbandSettings settings = resolved.get(key);
        return settings != null ? settings : resolved.computeIfAbsent(key, this::resolve);
    }

    private DeadbandSettings resolve(String key) {
        Optional<TagDefinition> tag = map.flatMap(m -> m.find(key));
        DeadbandSettings settings;
        if (tag.isEmpty()) {
            if (map.isPresent() && unknownLogged.compareAndSet(false, true)) {
                LOG.info("tag {} is not in the address map; it and other unknown tags use the default deadband "
                        + "(further unknown tags at DEBUG)", key);
            } else {
                LOG.debug("tag {} uses the default deadband", key);
            }
            settings = config.defaults(null, null);
        } else if (tag.get().deadband() == null) {
            settings = config.defaults(tag.get().hi(), tag.get().lo());
        } else {
            TagDefinition definition = tag.get();
            BandMode mode = BandMode.valueOf(definition.deadbandMode().name());
            settings = new DeadbandSettings(mode, definition.deadband(), definition.hi(), definition.lo(),
                    config.getLong(DeadbandConfig.MAX_SILENCE_MS), config.getBoolean(DeadbandConfig.SEND_HELD_BEFORE_JUMP));
        }
        String problem = settings.problem();
        if (problem != null) {
            if (tag.isPresent() && tag.get().deadband() != null) {
                LOG.warn("tag {}: {}", key, problem);
            } else if (defaultProblemLogged.compareAndSet(false, true)) {
                LOG.warn("default deadband for tag {} and others like it: {}", key, problem);
            }
        }
        return settings;
    }
}
