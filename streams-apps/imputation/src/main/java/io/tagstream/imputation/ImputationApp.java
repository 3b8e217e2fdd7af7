package io.tagstream.imputation;

import io.tagstream.streams.common.AddressMapFile;
import io.tagstream.streams.common.ReadingSerdes;
import io.tagstream.streams.common.StreamsAppConfig;
import io.tagstream.streams.common.StreamsAppRunner;

/**
 * The imputation app: telemetry.deadband -> telemetry.clean. Usage: {@code ImputationApp [config.properties]};
 * {@code --help} lists every option and its environment variable.
 */
public final class ImputationApp {

    private ImputationApp() {
    }

    public static void main(String[] args) {
        System.exit(StreamsAppRunner.run("tagstream-imputation", args, ImputationConfig.DEFINITION, ImputationConfig::new,
                (config, metrics) -> ImputationTopology.build(
                        config.getString(StreamsAppConfig.INPUT_TOPIC),
                        config.getString(StreamsAppConfig.OUTPUT_TOPIC),
                        ReadingSerdes.reading(config.getString(StreamsAppConfig.REGISTRY_URL)),
                        new TagGapSettings(AddressMapFile.load(config.getString(StreamsAppConfig.ADDRESS_MAP_PATH)), config),
                        metrics)));
    }
}
