package io.tagstream.connect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import io.tagstream.connect.config.InvalidOption;

/** api.base.url and url.template must be usable URLs; a secret reference the worker left in place is named. */
class BaseUrlAndSecretOptionTest {

    private static Map<String, String> kma(String... extra) {
        Map<String, String> props = new HashMap<>(HttpSourceConfigTest.kma());
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    private static List<String> errorsOn(String option, Map<String, String> props) {
        List<ConfigValue> values = new HttpSourceConnector().validate(props).configValues();
        assertThat(values).filteredOn(v -> !v.name().equals(option))
                .allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
        return values.stream().filter(v -> v.name().equals(option)).findFirst().orElseThrow().errorMessages();
    }

    @Test
    void aBaseUrlWithoutHostIsRefusedOnItsOption() {
        assertThat(errorsOn("api.base.url", kma("api.base.url", "http:///x"))).containsExactly(
                "Invalid value http:///x for configuration api.base.url: has no host (nothing between http:// and the path); "
                        + "e.g. http://127.0.0.1:8080/1360000/AsosHourlyInfoService");
        assertThatThrownBy(() -> new HttpSourceConfig(kma("api.base.url", "http:///x"))).hasMessageStartingWith(
                "Invalid value http:///x for configuration api.base.url: has no host");
    }

    @Test
    void otherMalformedBaseUrlsAreRefusedWithTheValueNamed() {
        Map<String, String> expected = Map.of(
                "127.0.0.1:8080/api", "must start with http:// or https://",
                "http//127.0.0.1/api", "must start with http:// or https://",
                "ftp://127.0.0.1/api", "must start with http:// or https://",
                "http://:8080/api", "has no valid host[:port] (':8080')",
                "http://127.0.0.1:port/api", "has no valid host[:port] ('127.0.0.1:port')",
                "http://127.0.0.1:70000/api", "has port 70000, outside 1..65535",
                "http://weather host/api", "is not a valid URL: Illegal character in authority at index 7",
                "http://127.0.0.1/api?serviceKey=x", "must not have a query or fragment");
        expected.forEach((url, problem) -> assertThat(errorsOn("api.base.url", kma("api.base.url", url)))
                .singleElement().asString().startsWith("Invalid value " + url + " for configuration api.base.url: " + problem));
        assertThat(errorsOn("api.base.url", kma("api.base.url", " https://127.0.0.1:8443/svc/ "))).isEmpty();
    }

    @Test
    void aTemplateWithoutHostIsRefusedOnUrlTemplate() {
        Map<String, String> generic = new HashMap<>(Map.of("name", "g", "site", "S", "time.field", "t", "device", "D",
                "tags", "p:power", "url.template", "http:///data?from={from:yyyyMMdd}"));
        assertThat(errorsOn("url.template", generic)).singleElement().asString().isEqualTo(
                "Invalid value http:///data?from={from:yyyyMMdd} for configuration url.template: URL template has no host "
                        + "(nothing between http:// and the path); e.g. http://127.0.0.1:8080/data?from={from:yyyyMMddHH}");
        generic.put("url.template", "https://127.0.0.1:8443/data?from={from:yyyyMMdd}&key={secret}");
        assertThat(errorsOn("url.template", generic)).isEmpty();
    }

    /** The worker resolves references before the connector sees them; one it could not resolve is still visible. */
    @Test
    void aSecretReferenceTheWorkerLeftInPlaceIsNamed() {
        assertThatThrownBy(() -> new HttpSourceConfig(kma("auth.secret", "${file:/etc/tagstream/kma.properties:serviceKey}")))
                .isInstanceOf(InvalidOption.class)
                .hasMessageStartingWith("Invalid value ${file:/etc/tagstream/kma.properties:serviceKey} for configuration "
                        + "auth.secret: the worker did not resolve this reference: either it has no config provider named 'file'");
        assertThat(errorsOn("auth.secret", kma("auth.secret", "${env:KMA_KEY}"))).singleElement().asString()
                .contains("no config provider named 'env'").contains("no value for key 'KMA_KEY'");
        assertThat(errorsOn("api.base.url", kma("api.base.url", "${file:/nowhere/weather-api.properties:baseUrl}")))
                .singleElement().asString().contains("the worker did not resolve this reference");
    }
}
