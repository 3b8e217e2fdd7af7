package io.tagstream.connect.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;

class TimeAndTemplateTest {

    private static final ZoneId KST = ZoneId.of("Asia/Seoul");

    @Test
    void kmaLocalTimesAreKst() {
        TimeParser parser = new TimeParser("yyyy-MM-dd HH:mm", KST);
        assertThat(parser.parse("2026-11-01 00:00")).isEqualTo(Instant.parse("2026-10-31T15:00:00Z"));
        assertThat(parser.parse(" 2026-11-01 09:00 ")).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThatThrownBy(() -> parser.parse("")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> parser.parse("2026-11-01T00:00")).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void isoAndEpochFormats() {
        assertThat(new TimeParser("iso", KST).parse("2026-11-01T00:00:00+09:00")).isEqualTo(Instant.parse("2026-10-31T15:00:00Z"));
        assertThat(new TimeParser("iso", KST).parse("2026-11-01T00:00:00")).as("local: in the zone")
                .isEqualTo(Instant.parse("2026-10-31T15:00:00Z"));
        assertThat(new TimeParser("epoch-millis", KST).parse("1700000000123")).isEqualTo(Instant.ofEpochMilli(1700000000123L));
        assertThat(new TimeParser("epoch-seconds", KST).parse("1700000000")).isEqualTo(Instant.ofEpochSecond(1700000000L));
        assertThat(new TimeParser("yyyyMMdd", KST).parse("20261101")).as("a date is its midnight")
                .isEqualTo(Instant.parse("2026-10-31T15:00:00Z"));
        assertThat(TimeParser.validate("yyyy-MM-dd HH:mm")).isNull();
        assertThat(TimeParser.validate("yyyy-MM-dd {{")).isNotNull();
    }

    @Test
    void kmaRequestRendersWindowInKstAndEncodesValues() {
        UrlTemplate template = new UrlTemplate("http://127.0.0.1:1/svc" + KmaAsosPreset.PATH, KST);
        Window window = new Window(Instant.parse("2026-10-31T15:00:00Z"), Instant.parse("2026-11-01T14:00:00Z"));
        String url = template.render(new UrlTemplate.Request("108", window, 2, 999, null, null));
        assertThat(url).isEqualTo("http://127.0.0.1:1/svc/getWthrDataList?pageNo=2&numOfRows=999&dataType=JSON&dataCd=ASOS"
                + "&dateCd=HR&startDt=20261101&startHh=00&endDt=20261101&endHh=23&stnIds=108");

        UrlTemplate generic = new UrlTemplate("https://pv.example/api/{stream}?from={from:epoch-seconds}&to={to}&c={cursor}&k={secret}", KST);
        String rendered = generic.render(new UrlTemplate.Request("plant 7/a", window, 1, 10, "a&b=c", "s3cr+t"));
        assertThat(rendered).isEqualTo("https://pv.example/api/plant+7%2Fa?from=1793458800&to=2026-11-01T23%3A00%3A00%2B09%3A00"
                + "&c=a%26b%3Dc&k=s3cr%2Bt");
    }

    @Test
    void templateValidation() {
        assertThat(UrlTemplate.validate("http://h/x?a={from:yyyyMMdd}&p={page}")).isNull();
        assertThat(UrlTemplate.validate("http://h/x?a={start}")).contains("unknown placeholder {start}");
        assertThat(UrlTemplate.validate("ftp://h/x")).contains("http://");
        assertThat(UrlTemplate.validate("http://h/x?a={from:yyyy-MM-dd {{}")).isNotNull();
        assertThatThrownBy(() -> new UrlTemplate("", KST)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backoffDoublesCapsAndHonoursLongerRetryAfter() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4));
        assertThat(backoff.delay(1, null)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(2, null)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.delay(4, null)).isEqualTo(Duration.ofMillis(4000));
        assertThat(backoff.delay(30, null)).isEqualTo(Duration.ofMillis(4000));
        assertThat(backoff.delay(1, Duration.ofSeconds(30))).as("Retry-After wins when longer").isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(3, Duration.ofMillis(100))).as("never shorter than the backoff").isEqualTo(Duration.ofMillis(2000));
    }
}
