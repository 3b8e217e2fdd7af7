package io.tagstream.streams.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.addressmap.AddressMapException;

/**
 * The address map an app takes per-tag settings from ({@code address.map.path}). A missing file is not
 * an error: the app then uses its defaults for every tag and says so once. A file that exists but is
 * invalid stops the app at start, naming every problem: silently running with defaults would hide the
 * operator's settings.
 */
public final class AddressMapFile {

    private static final Logger LOG = LoggerFactory.getLogger(AddressMapFile.class);

    private AddressMapFile() {
    }

    public static Optional<AddressMap> load(String path) {
        if (path == null || path.isBlank()) {
            LOG.info("no address map configured ({} is empty); every tag uses the defaults", StreamsAppConfig.ADDRESS_MAP_PATH);
            return Optional.empty();
        }
        Path file = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            LOG.info("address map {} not found; every tag uses the defaults", file);
            return Optional.empty();
        }
        try {
            AddressMap map = AddressMap.read(file);
            LOG.info("address map {} loaded: {} tags", file, map.tags().size());
            return Optional.of(map);
        } catch (AddressMapException e) {
            throw new ConfigException(StreamsAppConfig.ADDRESS_MAP_PATH, path, "invalid address map: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException(StreamsAppConfig.ADDRESS_MAP_PATH, path, "cannot read the address map: " + e);
        }
    }
}
