package io.tagstream.connect.config;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Connect's validate endpoint runs only the per-option validators of a ConfigDef. A connector's
 * {@code validate} adds its cross-option checks with this: when every option is valid on its own, the
 * whole configuration is parsed once more, and what that finds goes on the option it concerns.
 */
public final class CrossOptionChecks {

    /** Builds the connector's configuration object, which runs the cross-option checks. */
    @FunctionalInterface
    public interface FullParse {
        void parse();
    }

    private CrossOptionChecks() {
    }

    /**
     * @param perOption what {@code Connector.validate} found option by option
     * @param parse     the connector's configuration constructor on the same properties
     * @param general   the option a problem without an {@link InvalidOption} is reported on
     */
    public static Config add(Config perOption, FullParse parse, String general) {
        boolean clean = perOption.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (clean) {
            try {
                parse.parse();
            } catch (InvalidOption e) {
                report(perOption, e.option(), e.getMessage());
            } catch (ConfigException e) {
                report(perOption, general, e.getMessage());
            }
        }
        return perOption;
    }

    private static void report(Config config, String option, String message) {
        for (ConfigValue value : config.configValues()) {
            if (value.name().equals(option)) {
                value.addErrorMessage(message);
            }
        }
    }
}
