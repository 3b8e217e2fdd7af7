package io.tagstream.connect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import io.tagstream.connect.config.InvalidOption;

class HttpSourceConfigTest {

    static Map<String, String> kma() {
        Map<String, String> props = new HashMap<>();
        props.put("name", "kma");
        props.put("preset", "kma-asos-hourly");
        props.put("api.base.url", "http://127.0.0.1:1/1360000/AsosHourlyInfoService/");
        props.put("streams", "108, 112");
        props.put("site", "KR-WX");
        props.put("auth.secret", "k3y");
        return props;
    }

    @Test
    void presetSuppliesDefaultsAndExplicitSettingsWin() {
        HttpSourceConfig config = new HttpSourceConfig(kma());
        assertThat(config.urlTemplate()).isEqualTo("http://127.0.0.1:1/1360000/AsosHourlyInfoService/getWthrDataList?pageNo={page}"
                + "&numOfRows={pageSize}&dataType=JSON&dataCd=ASOS&dateCd=HR&startDt={from:yyyyMMdd}&startHh={from:HH}"
                + "&endDt={to:yyyyMMdd}&endHh={to:HH}&stnIds={stream}");
        assertThat(config.string("records.pointer")).isEqualTo("/response/body/items/item");
        assertThat(config.zone()).isEqualTo(ZoneId.of("Asia/Seoul"));
        assertThat(config.streams()).containsExactly("108", "112");
        assertThat(config.list("tags")).hasSize(10);
        assertThat(config.intValue("page.size")).isEqualTo(999);
        assertThat(config.string("auth.mode")).isEqualTo("query");

        Map<String, String> props = kma();
        props.put("page.size", "10");
        props.put("availability.lag.ms", "0");
        props.put("tags", "ta:temperature:degC");
        HttpSourceConfig overridden = new HttpSourceConfig(props);
        assertThat(overridden.intValue("page.size")).isEqualTo(10);
        assertThat(overridden.longValue("availability.lag.ms")).isZero();
        assertThat(overridden.list("tags")).containsExactly("ta:temperature:degC");
    }

    @Test
    void startTimeIsLocalToTheApiZone() {
        assertThat(HttpSourceConfig.parseStart("2026-11-01", ZoneId.of("Asia/Seoul"))).isEqualTo(Instant.parse("2026-10-31T15:00:00Z"));
        assertThat(HttpSourceConfig.parseStart("2026-11-01T09:00", ZoneId.of("Asia/Seoul"))).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(HttpSourceConfig.parseStart("2026-11-01T00:00:00Z", ZoneId.of("Asia/Seoul"))).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void crossOptionProblemsNameTheOption() {
        Map<String, String> noSecret = kma();
        noSecret.remove("auth.secret");
        assertThatThrownBy(() -> new HttpSourceConfig(noSecret)).isInstanceOf(InvalidOption.class)
                .hasMessageContaining("auth.secret").hasMessageContaining("${file:");
        Map<String, String> noBase = kma();
        noBase.remove("api.base.url");
        assertThatThrownBy(() -> new HttpSourceConfig(noBase)).hasMessageContaining("api.base.url");
        Map<String, String> generic = new HashMap<>(Map.of("site", "S", "url.template", "http://h/x?from={start}",
                "time.field", "t", "device", "D", "tags", "p:power"));
        assertThatThrownBy(() -> new HttpSourceConfig(generic)).hasMessageContaining("unknown placeholder {start}");
        generic.put("url.template", "http://h/x?from={from}");
        assertThat(new HttpSourceConfig(generic).streams()).containsExactly("");
        generic.put("records.pointer", "data");
        assertThatThrownBy(() -> new HttpSourceConfig(generic)).isInstanceOf(ConfigException.class).hasMessageContaining("JSON pointer");
    }

    @Test
    void connectorValidateAttachesCrossOptionErrorsAndSplitsStreamsOverTasks() {
        HttpSourceConnector connector = new HttpSourceConnector();
        Map<String, String> props = kma();
        props.put("tags", "ta:t,hm:t");
        List<ConfigValue> values = connector.validate(props).configValues();
        assertThat(values).filteredOn(v -> v.name().equals("tags")).singleElement()
                .satisfies(v -> assertThat(v.errorMessages()).singleElement().asString().contains("mapped twice"));
        assertThat(values).filteredOn(v -> !v.name().equals("tags")).allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());

        Map<String, String> three = kma();
        three.put("streams", "108,112,159");
        connector.start(three);
        assertThat(connector.taskConfigs(2)).extracting(c -> c.get("streams")).containsExactly("108,112", "159");
        assertThat(connector.taskConfigs(8)).hasSize(3);
        assertThat(connector.exactlyOnceSupport(three)).isEqualTo(org.apache.kafka.connect.source.ExactlyOnceSupport.SUPPORTED);
    }
}
