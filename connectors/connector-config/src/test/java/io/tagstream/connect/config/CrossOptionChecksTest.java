package io.tagstream.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class CrossOptionChecksTest {

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("url", Type.STRING, "", Importance.HIGH, "where")
            .define("zone", Type.STRING, "UTC", new TimeZoneValidator(), Importance.LOW, "time zone")
            .define("mode", Type.STRING, "none", Importance.LOW, "auth mode")
            .define("secret", Type.STRING, "", Importance.LOW, "secret");

    private static Map<String, List<String>> errors(Config config) {
        return config.configValues().stream().collect(java.util.stream.Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void aProblemAcrossOptionsGoesOnTheOptionItNames() {
        Map<String, String> props = Map.of("mode", "token");
        Config config = CrossOptionChecks.add(new Config(DEFINITION.validate(props)), () -> {
            throw new InvalidOption("secret", "[hidden]", "mode token needs a secret");
        }, "url");
        assertThat(errors(config).get("secret")).singleElement().asString().contains("mode token needs a secret");
        assertThat(errors(config).get("url")).isEmpty();
    }

    @Test
    void anyOtherProblemGoesOnTheGeneralOption() {
        Config config = CrossOptionChecks.add(new Config(DEFINITION.validate(Map.of())), () -> {
            throw new ConfigException("no preset by that name");
        }, "url");
        assertThat(errors(config).get("url")).containsExactly("no preset by that name");
    }

    @Test
    void theWholeParseRunsOnlyWhenEveryOptionIsValidOnItsOwn() {
        boolean[] parsed = {false};
        Config config = CrossOptionChecks.add(new Config(DEFINITION.validate(Map.of("zone", "Mars/Olympus"))), () -> parsed[0] = true, "url");
        assertThat(parsed[0]).isFalse();
        assertThat(errors(config).get("zone")).singleElement().asString().contains("not a time zone id");
        assertThatThrownBy(() -> new TimeZoneValidator().ensureValid("zone", "Nowhere/City")).isInstanceOf(ConfigException.class);
        new TimeZoneValidator().ensureValid("zone", "Asia/Seoul");
    }
}
