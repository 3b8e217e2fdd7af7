package io.tagstream.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.ConnectRest;
import io.tagstream.testkit.TestIds;

/**
 * What a newcomer gets wrong first, answered by the real worker of the stack: a base URL without a host
 * and a literal secret are reported on their own options by Connect's validate endpoint, and a connector
 * holding a literal secret is refused (HTTP 400) and never created. The literal-secret check runs in the
 * worker's REST layer (SecretReferencePolicy), the only place that sees a configuration before the config
 * providers resolve it, so only a real worker can show it works.
 */
class ConnectorValidationIT {

    private static final String CONNECTOR_CLASS = HttpSourceConnector.class.getName();

    private final StackEndpoints stack = SharedStack.get();
    private final ConnectRest connect = new ConnectRest(stack);
    private final String connector = "it-validate-" + TestIds.next();

    @AfterEach
    void cleanUp() throws Exception {
        connect.delete(connector);
    }

    @Test
    void validateNamesTheBaseUrlWithoutHostAndTheLiteralSecret() throws Exception {
        ObjectNode config = kmaConfig("http:///x", "plain-secret-123");

        Map<String, String> errors = validate(config);

        assertThat(errors.get("api.base.url")).contains("http:///x").contains("has no host");
        assertThat(errors.get("auth.secret")).contains("literal secret").contains("${file:")
                .doesNotContain("plain-secret-123");
    }

    @Test
    void aReferenceToAFileOnTheWorkerValidatesCleanAndIsStoredAsTheReference() throws Exception {
        Path secrets = Files.createTempFile("tagstream-it-secret", ".properties");
        try {
            Files.writeString(secrets, "serviceKey=from-a-file\n", StandardCharsets.UTF_8);
            String reference = "${file:" + secrets + ":serviceKey}";
            ObjectNode config = kmaConfig("http://127.0.0.1:1/1360000/AsosHourlyInfoService", reference);

            Map<String, String> errors = validate(config);

            assertThat(errors).doesNotContainKeys("auth.secret", "api.base.url");
        } finally {
            Files.deleteIfExists(secrets);
        }
    }

    @Test
    void aConnectorWithALiteralSecretIsRefusedAndNotCreated() throws Exception {
        ObjectNode config = kmaConfig("http://127.0.0.1:1/1360000/AsosHourlyInfoService", "plain-secret-123");

        JsonHttp.Response response = JsonHttp.put(connect.url("/connectors/" + connector + "/config"),
                JsonHttp.mapper().writeValueAsString(config));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("auth.secret").doesNotContain("plain-secret-123");
        assertThat(JsonHttp.get(connect.url("/connectors/" + connector)).status()).isEqualTo(404);
    }

    private ObjectNode kmaConfig(String baseUrl, String secret) {
        ObjectNode config = connect.sourceConverters(ConnectRest.config(CONNECTOR_CLASS));
        config.put("name", connector);
        config.put("preset", "kma-asos-hourly");
        config.put("api.base.url", baseUrl);
        config.put("auth.secret", secret);
        config.put("site", "KMA");
        config.put("streams", "108");
        config.put("topic", "it.validate." + connector);
        return config;
    }

    /** PUT /connector-plugins/{class}/config/validate: the first error of each option that has one. */
    private Map<String, String> validate(ObjectNode config) throws Exception {
        JsonHttp.Response response = JsonHttp.put(
                connect.url("/connector-plugins/" + CONNECTOR_CLASS + "/config/validate"),
                JsonHttp.mapper().writeValueAsString(config));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, String> errors = new HashMap<>();
        for (JsonNode entry : response.json().path("configs")) {
            JsonNode value = entry.path("value");
            if (value.path("errors").size() > 0) {
                errors.put(value.path("name").asText(), value.path("errors").get(0).asText());
            }
        }
        return errors;
    }
}
