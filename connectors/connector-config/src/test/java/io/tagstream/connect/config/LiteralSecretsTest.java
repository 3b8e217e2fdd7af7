package io.tagstream.connect.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LiteralSecretsTest {

    private static final String HTTP = "io.tagstream.connect.http.HttpSourceConnector";

    @Test
    void aLiteralSecretIsFoundAndNeverRepeated() {
        Map<String, String> found = LiteralSecrets.find(HTTP, Map.of("auth.secret", "s3cr3t-key", "site", "S"));
        assertThat(found).containsOnlyKeys("auth.secret");
        assertThat(found.get("auth.secret")).isEqualTo("auth.secret holds a literal secret [value hidden]; give a reference "
                + "the worker resolves instead: ${file:<path>:<key>} (a properties file on the worker) or ${env:<VAR>} (a "
                + "variable in the worker's environment), so the stored configuration and GET /connectors/<name>/config "
                + "show only the reference").doesNotContain("s3cr3t");
        assertThat(LiteralSecrets.find("WebhookSinkConnector", Map.of("webhook.url", "https://hooks.example.test/T/B/x")))
                .containsOnlyKeys("webhook.url");
        assertThat(LiteralSecrets.find("HttpSource", Map.of("auth.secret", "k"))).containsOnlyKeys("auth.secret");
    }

    @Test
    void referencesEmptyValuesAndOtherConnectorsPass() {
        assertThat(LiteralSecrets.find(HTTP, Map.of("auth.secret", "${file:/etc/tagstream/kma.properties:serviceKey}"))).isEmpty();
        assertThat(LiteralSecrets.find(HTTP, Map.of("auth.secret", "${env:KMA_KEY}"))).isEmpty();
        assertThat(LiteralSecrets.find(HTTP, Map.of("auth.secret", ""))).isEmpty();
        assertThat(LiteralSecrets.find(HTTP, Map.of())).isEmpty();
        // a literal with a reference inside is still a literal in the stored config
        assertThat(LiteralSecrets.find(HTTP, Map.of("auth.secret", "Bearer ${env:TOKEN}"))).containsOnlyKeys("auth.secret");
        assertThat(LiteralSecrets.find("org.example.OtherConnector", Map.of("auth.secret", "s3cr3t"))).isEmpty();
        assertThat(LiteralSecrets.find(null, Map.of("auth.secret", "s3cr3t"))).isEmpty();
    }
}
