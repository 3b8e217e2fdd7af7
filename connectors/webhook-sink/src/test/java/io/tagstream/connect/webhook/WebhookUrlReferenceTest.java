package io.tagstream.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** A webhook.url reference the worker could not resolve is named as such, not as a malformed URL. */
class WebhookUrlReferenceTest {

    @Test
    void anUnresolvedReferenceIsNamed() {
        List<ConfigValue> values = new WebhookSinkConnector().validate(Map.of("name", "w", "topics", "alerts.events",
                "delivered.bootstrap.servers", "127.0.0.1:9092", "webhook.url", "${file:/etc/tagstream/webhook.properties:url}"))
                .configValues();
        assertThat(values).filteredOn(v -> v.name().equals("webhook.url")).singleElement()
                .satisfies(v -> assertThat(v.errorMessages()).singleElement().asString().startsWith(
                        "Invalid value ${file:/etc/tagstream/webhook.properties:url} for configuration webhook.url: "
                                + "the worker did not resolve this reference"));
    }
}
