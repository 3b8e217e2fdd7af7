package io.tagstream.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class WebhookSinkConfigTest {

    private static final String SECRET_URL = "https://hooks.example.test/services/T000/B000/s3cr3t";

    private static Map<String, String> props(String... extra) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "alerts to chat");
        props.put("topics", "alerts.events");
        props.put("webhook.url", SECRET_URL);
        props.put("delivered.bootstrap.servers", "127.0.0.1:9092");
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    @Test
    void defaultsAndDerivedValues() {
        WebhookSinkConfig config = new WebhookSinkConfig(props("delivered.kafka.security.protocol", "SSL"));
        assertThat(config.webhookUrl().toString()).isEqualTo(SECRET_URL);
        assertThat(config.deliveredTopic()).isEqualTo("webhook.delivered.alerts_to_chat");
        assertThat(config.deliveredClientConfig()).containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
        assertThat(config.timeout().toMillis()).isEqualTo(4000);
        assertThat(config.filter().minSeverity()).isEqualTo("WARNING");
        assertThat(config.deadLetterWhenExhausted()).isFalse();
        assertThat(config.values().toString()).doesNotContain("s3cr3t").contains("[hidden]");
        assertThat(new WebhookSinkConfig(props("delivered.topic", "ops.webhook")).deliveredTopic()).isEqualTo("ops.webhook");
    }

    @Test
    void urlIsAPasswordAndItsProblemsNeverEchoIt() {
        assertThat(WebhookSinkConfig.CONFIG_DEF.configKeys().get("webhook.url").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThatThrownBy(() -> new WebhookSinkConfig(props("webhook.url", "ftp://secret-host/s3cr3t")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http or https").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> new WebhookSinkConfig(props("webhook.url", "not a url s3cr3t")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("s3cr3t");
        Map<String, String> missing = props();
        missing.remove("webhook.url");
        assertThatThrownBy(() -> new WebhookSinkConfig(missing)).isInstanceOf(ConfigException.class);
    }

    @Test
    void validatorsNameTheOption() {
        assertThatThrownBy(() -> new WebhookSinkConfig(props("retry.statuses", "429,4x"))).hasMessageContaining("'4x'");
        assertThatThrownBy(() -> new WebhookSinkConfig(props("filter.states", "RAISED,OPENED"))).hasMessageContaining("OPENED");
        assertThatThrownBy(() -> new WebhookSinkConfig(props("message.template", "{oops}"))).hasMessageContaining("{oops}");
        assertThatThrownBy(() -> new WebhookSinkConfig(props("message.time.zone", "Mars/Olympus"))).hasMessageContaining("time zone");
        assertThatThrownBy(() -> new WebhookSinkConfig(props("filter.min.severity", "INFO"))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new WebhookSinkConfig(props("retry.backoff.ms", "5000", "retry.backoff.max.ms", "1000")))
                .hasMessageContaining("retry.backoff.max.ms");
    }

    @Test
    void connectorValidateAttachesCrossOptionProblems() {
        Config result = new WebhookSinkConnector().validate(props("retry.backoff.ms", "5000", "retry.backoff.max.ms", "1000"));
        ConfigValue max = result.configValues().stream().filter(v -> v.name().equals("retry.backoff.max.ms")).findFirst().orElseThrow();
        assertThat(max.errorMessages()).anyMatch(m -> m.contains("at least retry.backoff.ms"));
        Config clean = new WebhookSinkConnector().validate(props());
        assertThat(clean.configValues()).allMatch(v -> v.errorMessages().isEmpty());
    }
}
