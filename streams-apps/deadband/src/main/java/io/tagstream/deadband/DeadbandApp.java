package io.tagstream.deadband;

import io.tagstream.streams.common.AddressMapFile;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

/**
 * The deadband app: telemetry.raw -> telemetry.deadband. Usage: {@code DeadbandApp [config.properties]};
 * {@code --help} lists every option and its environment variable.
 */
public final class DeadbandApp {

    private DeadbandApp() {
    }

    public static void main(String[] args) {
        System.exit(StreamsAppRunner.run("tagstream-deadband", args, DeadbandConfig.DEFINITION, DeadbandConfig::new,
                (config, metrics) -> DeadbandTopology.build(
                        config.getString(StreamsAppConfig.INPUT_TOPIC),
                        config.getString(StreamsAppConfig.OUTPUT_TOPIC),
                        ReadingSerdes.reading(config.getString(StreamsAppConfig.REGISTRY_URL)),
                        new TagDeadbands(AddressMapFile.load(config.getString(StreamsAppConfig.ADDRESS_MAP_PATH)), config),
                        metrics)));
    }
}
