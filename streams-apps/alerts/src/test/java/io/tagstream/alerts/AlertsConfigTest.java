package io.tagstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.tagstream.schema.Severity;
import io.tagstream.streams.common.StreamsAppConfig;

class AlertsConfigTest {

    private static Map<String, Object> required() {
        Map<String, Object> values = new HashMap<>();
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        values.put(StreamsAppConfig.REGISTRY_URL, "http://127.0.0.1:8081/apis/registry/v2");
        return values;
    }

    @Test
    void defaults() {
        AlertsConfig config = new AlertsConfig(required());
        assertThat(config.getString(StreamsAppConfig.INPUT_TOPIC)).isEqualTo("telemetry.clean");
        assertThat(config.getString(StreamsAppConfig.OUTPUT_TOPIC)).isEqualTo("alerts.events");
        assertThat(config.getString(StreamsAppConfig.DLQ_TOPIC)).isEqualTo("dlq.alerts");
        assertThat(config.getString(AlertsConfig.THRESHOLDS_TOPIC)).isEqualTo("ops.thresholds");
        Thresholds none = config.tagDefaults(Optional.empty()).forTag("A1", "D", "T");
        assertThat(none.staleAfterMs()).isEqualTo(300_000);
        assertThat(none.badQualityAfterMs()).isEqualTo(60_000);
        assertThat(none.staleSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(none.badQualitySeverity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void badValuesNameTheOptionAndTheValue() {
        for (Map.Entry<String, String> bad : Map.of(AlertsConfig.DEFAULT_SEVERITY, "LOUD",
                AlertsConfig.DEFAULT_HYSTERESIS, "-1", AlertsConfig.DEFAULT_BAD_QUALITY_AFTER_MS, "-2",
                AlertsConfig.STALE_CHECK_INTERVAL_MS, "10", AlertsConfig.DEFAULT_STALE_AFTER_MS, "soon").entrySet()) {
            Map<String, Object> values = required();
            values.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> new AlertsConfig(values)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(bad.getKey()).hasMessageContaining(bad.getValue());
        }
    }

    @Test
    void everyOptionIsDocumented() {
        String help = StreamsAppConfig.describe(AlertsConfig.DEFINITION);
        for (String option : AlertsConfig.DEFINITION.names()) {
            assertThat(help).contains(option);
        }
        assertThat(help).contains("TAGSTREAM_ALERTS_DEFAULT_STALE_AFTER_MS");
    }
}
