package io.tagstream.connect.config;

import org.apache.kafka.common.config.ConfigException;

/**
 * A problem found across options (one option's value makes another's wrong), naming the option it is
 * reported on, so {@link CrossOptionChecks} can attach it there in Connect's validate response. Pass a
 * placeholder, not the value, for secrets.
 */
public final class InvalidOption extends ConfigException {
    private static final long serialVersionUID = 1L;
    private final String option;

    public InvalidOption(String option, Object value, String message) {
        super(option, value, message);
        this.option = option;
    }

    public String option() {
        return option;
    }
}
