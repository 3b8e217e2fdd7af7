package io.tagstream.connect.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apicurio.registry.rest.client.RegistryClientFactory;
import io.apicurio.registry.rest.client.exception.RateLimitedClientException;
import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.client.exception.RuleViolationException;
import io.apicurio.registry.rest.v2.beans.Error;
import io.apicurio.registry.utils.converter.AvroConverter;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class RegistryFailureTest {

    private static final Schema READING = SchemaBuilder.struct().name("io.tagstream.test.Reading")
            .field("tag", Schema.STRING_SCHEMA).build();

    /** A port nothing listens on: the registry is "down". */
    private static String unreachableRegistry() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/apis/registry/v2";
    }

    private static Error error(int code) {
        Error error = new Error();
        error.setErrorCode(code);
        error.setMessage("HTTP " + code);
        return error;
    }

    @Test
    void realClientAgainstStoppedRegistryIsTransient() throws IOException {
        var client = RegistryClientFactory.create(unreachableRegistry());
        Throwable thrown = null;
        try {
            client.getLatestArtifact("default", "telemetry.raw-value");
        } catch (RuntimeException e) {
            thrown = e;
        }
        assertThat(thrown).isInstanceOf(RestClientException.class);
        assertThat(((RestClientException) thrown).getError().getErrorCode()).isNull();
        assertThat(RegistryFailure.isTransient(thrown)).isTrue();
        assertThat(RegistryFailure.isTransient(new SerializationException("wrapped", thrown))).isTrue();
    }

    @Test
    void serverErrorsAndRateLimitsAreTransient() {
        assertThat(RegistryFailure.isTransient(new RestClientException(error(500)))).isTrue();
        assertThat(RegistryFailure.isTransient(new RestClientException(error(503)))).isTrue();
        assertThat(RegistryFailure.isTransient(new RateLimitedClientException("429"))).isTrue();
        assertThat(RegistryFailure.isTransient(new DataException("x", new java.net.ConnectException()))).isTrue();
    }

    @Test
    void clientErrorsAndBadDataArePermanent() {
        assertThat(RegistryFailure.isTransient(new RuleViolationException(error(409)))).isFalse();
        assertThat(RegistryFailure.isTransient(new RestClientException(error(409)))).isFalse();
        assertThat(RegistryFailure.isTransient(new RestClientException(error(404)))).isFalse();
        assertThat(RegistryFailure.isTransient(new RestClientException(error(400)))).isFalse();
        assertThat(RegistryFailure.isTransient(new DataException("not a struct"))).isFalse();
        assertThat(RegistryFailure.isTransient(new IllegalArgumentException("bad"))).isFalse();
    }

    private static Map<String, Object> converterConfig(String url) {
        return Map.of("apicurio.registry.url", url, "apicurio.registry.auto-register", "true",
                "apicurio.registry.as-confluent", "true", "apicurio.registry.use-id", "contentId",
                "apicurio.registry.headers.enabled", "false");
    }

    @Test
    void converterTurnsStoppedRegistryIntoRetriableWherePlainConverterDoesNot() throws IOException {
        String url = unreachableRegistry();
        Struct value = new Struct(READING).put("tag", "t1");

        AvroConverter<Object> plain = new AvroConverter<>();
        plain.configure(converterConfig(url), false);
        assertThatThrownBy(() -> plain.fromConnectData("new.topic", READING, value))
                .isNotInstanceOf(RetriableException.class);

        RetryingAvroConverter<Object> retrying = new RetryingAvroConverter<>();
        retrying.configure(converterConfig(url), false);
        assertThatThrownBy(() -> retrying.fromConnectData("new.topic", READING, value))
                .isInstanceOf(RetriableException.class);
    }
}
