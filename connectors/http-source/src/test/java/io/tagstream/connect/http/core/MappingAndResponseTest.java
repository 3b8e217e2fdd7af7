package io.tagstream.connect.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MappingAndResponseTest {

    static final Instant NOW = Instant.parse("2026-11-05T00:00:00Z");

    static ResponseParser kmaParser() {
        return new ResponseParser(ResponseParser.Format.JSON, "/response/body/items/item", "/response/header/resultCode",
                "/response/header/resultMsg", Set.of("00"), Set.of("03"), "/response/body/totalCount", null, ',');
    }

    static RowMapper kmaMapper() {
        return new RowMapper(new TimeParser("yyyy-MM-dd HH:mm", ZoneId.of("Asia/Seoul")), "tm", "KR", null, "stnId", null,
                TagMapping.parseAll(KmaAsosPreset.TAGS));
    }

    static String kmaBody(int total, String... items) {
        return "{\"response\":{\"header\":{\"resultCode\":\"00\",\"resultMsg\":\"NORMAL_SERVICE\"},\"body\":{\"dataType\":\"JSON\","
                + "\"items\":{\"item\":[" + String.join(",", items) + "]},\"pageNo\":1,\"numOfRows\":10,\"totalCount\":" + total + "}}}";
    }

    static String item(String tm, String station, String ta, String rn) {
        return "{\"tm\":\"" + tm + "\",\"stnId\":\"" + station + "\",\"stnNm\":\"Seoul\",\"ta\":\"" + ta + "\",\"hm\":\"71\",\"ws\":\"1.5\","
                + "\"wd\":\"250\",\"rn\":\"" + rn + "\",\"pa\":\"1012.3\",\"ps\":\"1022.7\",\"ss\":\"\",\"icsr\":\"\",\"dc10Tca\":\"7\"}";
    }

    static FetchOutcome parse(ResponseParser parser, int status, String body, Map<String, List<String>> headers) {
        return parser.parse(status, headers, body.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void kmaRowBecomesOneReadingPerElementAndEmptyIsBadNeverZero() {
        FetchOutcome outcome = parse(kmaParser(), 200, kmaBody(1, item("2026-11-01 09:00", "108", "-3.2", "")), Map.of());
        FetchOutcome.Page page = (FetchOutcome.Page) outcome;
        assertThat(page.totalCount()).isEqualTo(1);
        List<ReadingValue> readings = kmaMapper().map(page.rows().get(0));
        assertThat(readings).hasSize(10);
        Instant ts = Instant.parse("2026-11-01T00:00:00Z");
        assertThat(readings.get(0)).isEqualTo(new ReadingValue(ts, "KR", null, "108", "air_temp", -3.2, "degC", ReadingValue.Quality.GOOD));
        assertThat(readings).filteredOn(r -> r.tag().equals("precipitation")).singleElement()
                .isEqualTo(new ReadingValue(ts, "KR", null, "108", "precipitation", null, "mm", ReadingValue.Quality.BAD));
        assertThat(readings).filteredOn(r -> r.quality() == ReadingValue.Quality.BAD)
                .extracting(ReadingValue::tag).containsExactly("precipitation", "sunshine", "solar_radiation");
        assertThat(readings).filteredOn(r -> r.tag().equals("cloud_cover")).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(7.0));
        assertThat(readings.get(0).key()).isEqualTo("KR/108/air_temp");
    }

    @Test
    void scaleOffsetConstantDeviceAndBadRows() {
        RowMapper mapper = new RowMapper(new TimeParser("iso", ZoneId.of("UTC")), "/t/at", "S1", "L1", null, "PV01",
                TagMapping.parseAll(List.of("p:power:kW:0.001", "temp:module_temp:degC:1:-273.15", "x:junk")));
        ResponseParser parser = new ResponseParser(ResponseParser.Format.JSON, "/data", null, null, Set.of(), Set.of(), null, "/next", ',');
        FetchOutcome.Page page = (FetchOutcome.Page) parse(parser, 200,
                "{\"data\":[{\"t\":{\"at\":\"2026-11-01T01:00:00Z\"},\"p\":12500,\"temp\":300.15,\"x\":\"n/a\"},{\"p\":1}],\"next\":\"c2\"}", Map.of());
        assertThat(page.nextCursor()).isEqualTo("c2");
        List<ReadingValue> readings = mapper.map(page.rows().get(0));
        assertThat(readings).extracting(ReadingValue::value).containsExactly(12.5, 27.0, null);
        assertThat(readings.get(1).value()).isCloseTo(27.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(readings).extracting(ReadingValue::device).containsOnly("PV01");
        assertThat(readings).extracting(ReadingValue::line).containsOnly("L1");
        assertThat(readings.get(2).quality()).isEqualTo(ReadingValue.Quality.BAD);
        assertThatThrownBy(() -> mapper.map(page.rows().get(1))).isInstanceOf(RowMapper.BadRowException.class)
                .hasMessageContaining("/t/at");
    }

    @Test
    void tagMappingSpecs() {
        assertThat(TagMapping.parse("ta:air_temp:degC")).isEqualTo(new TagMapping("ta", "air_temp", "degC", 1.0, 0.0));
        assertThat(TagMapping.parse("p:power::0.1:2")).isEqualTo(new TagMapping("p", "power", null, 0.1, 2.0));
        assertThatThrownBy(() -> TagMapping.parse("ta")).hasMessageContaining("field:tag");
        assertThatThrownBy(() -> TagMapping.parse("ta:t:u:abc")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> TagMapping.parseAll(List.of("a:t", "b:t"))).hasMessageContaining("mapped twice");
        assertThatThrownBy(() -> TagMapping.parseAll(List.of())).hasMessageContaining("at least one");
    }

    @Test
    void transientFailuresAreRetriedHonouringRetryAfter() {
        FetchOutcome tooMany = parse(kmaParser(), 429, "slow down", Map.of("retry-after", List.of("7")));
        assertThat(tooMany).isEqualTo(new FetchOutcome.Retry("HTTP 429: slow down", Duration.ofSeconds(7)));
        FetchOutcome dated = parse(kmaParser(), 503, "", Map.of("Retry-After", List.of("Thu, 05 Nov 2026 00:00:30 GMT")));
        assertThat(((FetchOutcome.Retry) dated).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        FetchOutcome plain = parse(kmaParser(), 500, "Internal Server Error", Map.of());
        assertThat(plain).isInstanceOf(FetchOutcome.Retry.class);
        assertThat(((FetchOutcome.Retry) plain).retryAfter()).isNull();
        assertThat(ResponseParser.retryAfter("soon", NOW)).isNull();
    }

    @Test
    void errorPayloadsAreRecognisedWithAClearReason() {
        ResponseParser parser = kmaParser();
        assertThat(reason(parse(parser, 200, "<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>"
                + "<returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode>"
                + "</cmmMsgHeader></OpenAPI_ServiceResponse>", Map.of())))
                .isEqualTo("XML error body instead of JSON: errMsg=SERVICE ERROR, returnAuthMsg=SERVICE_KEY_IS_NOT_REGISTERED_ERROR, returnReasonCode=30");
        assertThat(reason(parse(parser, 200, "\n<!DOCTYPE html><html><head><title>점검 중 Maintenance</title></head></html>", Map.of())))
                .isEqualTo("HTML page instead of JSON (maintenance?): 점검 중 Maintenance");
        assertThat(reason(parse(parser, 200, "{\"response\":{\"header\":{\"resultCode\":\"00\"},\"body\":{\"items\":{\"item\":[{\"tm\":\"20", Map.of())))
                .startsWith("malformed or truncated JSON");
        assertThat(reason(parse(parser, 200, "{\"response\":{\"header\":{\"resultCode\":\"22\",\"resultMsg\":\"LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR\"}}}", Map.of())))
                .isEqualTo("API result code 22 (LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR)");
        assertThat(reason(parse(parser, 200, "{\"unexpected\":true}", Map.of()))).contains("result code missing");
        assertThat(reason(parse(parser, 403, "Forbidden", Map.of()))).isEqualTo("HTTP 403: Forbidden");
        assertThat(reason(parse(parser, 200, "", Map.of()))).isEqualTo("empty body");
    }

    @Test
    void noDataCodeAndSingleObjectAreData() {
        FetchOutcome empty = parse(kmaParser(), 200, "{\"response\":{\"header\":{\"resultCode\":\"03\",\"resultMsg\":\"NO_DATA\"}}}", Map.of());
        assertThat(empty).isEqualTo(new FetchOutcome.Page(List.of(), 0, null));
        FetchOutcome single = parse(kmaParser(), 200, "{\"response\":{\"header\":{\"resultCode\":\"00\"},\"body\":{\"items\":{\"item\":"
                + item("2026-11-01 09:00", "108", "1.0", "0.5") + "},\"totalCount\":1}}}", Map.of());
        assertThat(((FetchOutcome.Page) single).rows()).hasSize(1);
        FetchOutcome emptyItems = parse(kmaParser(), 200, "{\"response\":{\"header\":{\"resultCode\":\"00\"},\"body\":{\"items\":\"\",\"totalCount\":0}}}", Map.of());
        assertThat(((FetchOutcome.Page) emptyItems).rows()).isEmpty();
    }

    @Test
    void csvRowsAndTruncatedCsv() {
        ResponseParser csv = new ResponseParser(ResponseParser.Format.CSV, null, null, null, Set.of(), Set.of(), null, null, ';');
        FetchOutcome.Page page = (FetchOutcome.Page) parse(csv, 200,
                "\uFEFFtime;plant;kw\n2026-11-01 10:00;P1;12.5\n2026-11-01 11:00;P1;\n", Map.of());
        assertThat(page.rows()).hasSize(2);
        RowMapper mapper = new RowMapper(new TimeParser("yyyy-MM-dd HH:mm", ZoneId.of("Asia/Seoul")), "time", "S", null, "plant", null,
                TagMapping.parseAll(List.of("kw:power:kW")));
        assertThat(mapper.map(page.rows().get(0))).containsExactly(new ReadingValue(Instant.parse("2026-11-01T01:00:00Z"),
                "S", null, "P1", "power", 12.5, "kW", ReadingValue.Quality.GOOD));
        assertThat(mapper.map(page.rows().get(1)).get(0).quality()).isEqualTo(ReadingValue.Quality.BAD);
        assertThat(page.rows().get(1).raw()).isEqualTo("2026-11-01 11:00;P1;");
        assertThat(reason(parse(csv, 200, "time;plant;kw\n2026-11-01 10:00;P1;12.5\n2026-11-01 11:0", Map.of())))
                .contains("line 2 has 1 fields, the header 3");
    }

    private static String reason(FetchOutcome outcome) {
        assertThat(outcome).isInstanceOf(FetchOutcome.ErrorPayload.class);
        return ((FetchOutcome.ErrorPayload) outcome).reason();
    }
}
