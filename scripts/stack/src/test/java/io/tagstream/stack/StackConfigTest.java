package io.tagstream.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    @Test
    void environmentVariablesSetOptions() {
        StackConfig config = StackConfig.from(Map.of("TAGSTREAM_KAFKA_PORT", "29092", "TAGSTREAM_HOME", "/tmp/x"), Map.of());
        assertThat(config.getInt(StackConfig.KAFKA_PORT)).isEqualTo(29092);
        assertThat(config.home(Path.of("/repo"))).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void overridesWinOverTheEnvironment() {
        StackConfig config = StackConfig.from(Map.of("TAGSTREAM_KAFKA_PORT", "29092"), Map.of(StackConfig.KAFKA_PORT, "0"));
        assertThat(config.getInt(StackConfig.KAFKA_PORT)).isZero();
    }

    @Test
    void defaultHomeIsInsideTheRepository() {
        assertThat(StackConfig.from(Map.of(), Map.of()).home(Path.of("/repo"))).isEqualTo(Path.of("/repo/.tagstream"));
    }

    @Test
    void badValuesNameTheOptionAndTheValue() {
        assertThatThrownBy(() -> StackConfig.from(Map.of("TAGSTREAM_KAFKA_PORT", "99999"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.port").hasMessageContaining("99999");
        assertThatThrownBy(() -> StackConfig.from(Map.of("TAGSTREAM_CONNECT_PORT", "eighty"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connect.port").hasMessageContaining("eighty");
        assertThatThrownBy(() -> StackConfig.from(Map.of("TAGSTREAM_KAFKA_HEAP", "lots"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.heap").hasMessageContaining("lots");
        assertThatThrownBy(() -> StackConfig.from(Map.of("TAGSTREAM_PROFILE", "demo"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("profile").hasMessageContaining("demo");
    }

    @Test
    void everyOptionIsDocumented() {
        for (var key : StackConfig.DEFINITION.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
        }
        assertThat(StackConfig.describeOptions()).contains("TAGSTREAM_KAFKA_PORT").contains("TAGSTREAM_HOME");
    }

    @Test
    void everyStreamsAppHttpPortIsAnOptionWithItsDefaultAndEnvironmentVariable() {
        StackConfig defaults = StackConfig.from(Map.of(), Map.of());
        assertThat(defaults.getInt(StackConfig.DEADBAND_HTTP_PORT)).isEqualTo(18091);
        assertThat(defaults.getInt(StackConfig.IMPUTATION_HTTP_PORT)).isEqualTo(18092);
        assertThat(defaults.getInt(StackConfig.AGGREGATION_HTTP_PORT)).isEqualTo(18093);
        assertThat(defaults.getInt(StackConfig.ALERTS_HTTP_PORT)).isEqualTo(18096);
        assertThat(StackConfig.from(Map.of("TAGSTREAM_ALERTS_HTTP_PORT", "28096"), Map.of())
                .getInt(StackConfig.ALERTS_HTTP_PORT)).isEqualTo(28096);
        assertThat(StackConfig.describeOptions()).contains("deadband.http.port", "TAGSTREAM_DEADBAND_HTTP_PORT",
                "TAGSTREAM_IMPUTATION_HTTP_PORT", "TAGSTREAM_AGGREGATION_HTTP_PORT", "TAGSTREAM_ALERTS_HTTP_PORT");
        assertThatThrownBy(() -> StackConfig.from(Map.of("TAGSTREAM_DEADBAND_HTTP_PORT", "70000"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("deadband.http.port").hasMessageContaining("70000");
    }

    @Test
    void everyPortOfEveryComponentIsAStackOption() {
        for (Component component : StackComponents.ALL) {
            assertThat(component.ports()).as(component.name()).isNotEmpty();
            for (String option : component.ports()) {
                assertThat(StackConfig.DEFINITION.names()).as(component.name()).contains(option);
            }
        }
    }
}
