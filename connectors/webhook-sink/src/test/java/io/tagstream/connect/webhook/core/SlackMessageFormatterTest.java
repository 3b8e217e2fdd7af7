package io.tagstream.connect.webhook.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SlackMessageFormatterTest {

    static final Instant RAISED = Instant.parse("2026-11-30T08:15:00Z");
    static final Instant NOW = Instant.parse("2026-11-30T08:20:30Z");

    static AlertNotice notice(String severity, String state) {
        return new AlertNotice("A1/PUMP01/PRESS/HIGH/1", "A1", "LINE1", "PUMP01", "PRESS", "default-hi", "HIGH",
                severity, state, 12.5, 10.0, NOW, RAISED, "PRESS above 10 bar");
    }

    @Test
    void rendersSlackTextAndBlocksWithEveryFact() throws Exception {
        SlackMessageFormatter formatter = new SlackMessageFormatter("", "", ZoneId.of("UTC"));
        JsonNode payload = new ObjectMapper().readTree(formatter.toJson(notice("CRITICAL", "RAISED")));

        assertThat(payload.has("channel")).isFalse();
        assertThat(payload.path("text").asText()).isEqualTo(
                ":rotating_light: *CRITICAL HIGH RAISED* A1/PUMP01/PRESS: value 12.5, limit 10 at 2026-11-30 08:20:30 +00:00");
        JsonNode blocks = payload.path("blocks");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).path("text").path("text").asText()).isEqualTo("CRITICAL HIGH RAISED: A1/PUMP01/PRESS");
        assertThat(blocks.get(1).path("text").path("text").asText()).isEqualTo(payload.path("text").asText());
        String facts = blocks.get(2).path("fields").toString();
        assertThat(facts).contains("*Severity*\\nCRITICAL", "*State*\\nRAISED (HIGH)", "A1 / PUMP01 / PRESS", "*Line*\\nLINE1",
                "*Value*\\n12.5", "*Limit*\\n10", "*Time*\\n2026-11-30 08:20:30 +00:00", "*Raised at*\\n2026-11-30 08:15:00 +00:00");
        assertThat(blocks.get(2).path("fields").size()).isLessThanOrEqualTo(10); // Slack's limit
        assertThat(blocks.get(3).path("text").path("text").asText()).isEqualTo("> PRESS above 10 bar");
        assertThat(blocks.get(4).path("type").asText()).isEqualTo("context");
        assertThat(blocks.get(4).path("elements").get(0).path("text").asText())
                .isEqualTo("alert_id `A1/PUMP01/PRESS/HIGH/1` · rule `default-hi`");
    }

    @Test
    void templateChannelAndZone() throws Exception {
        SlackMessageFormatter formatter = new SlackMessageFormatter("{severity} {state} {site}/{device}/{tag} {value}>{threshold} {time} ({alert_id})",
                "#plant-alarms", ZoneId.of("Asia/Seoul"));
        JsonNode payload = new ObjectMapper().readTree(formatter.toJson(notice("WARNING", "ESCALATED")));
        assertThat(payload.path("channel").asText()).isEqualTo("#plant-alarms");
        assertThat(payload.path("text").asText())
                .isEqualTo("WARNING ESCALATED A1/PUMP01/PRESS 12.5>10 2026-11-30 17:20:30 +09:00 (A1/PUMP01/PRESS/HIGH/1)");
    }

    @Test
    void clearedStaleWithoutValueOrLineOrMessage() throws Exception {
        AlertNotice stale = new AlertNotice("x", "A1", null, "PUMP01", "TEMP", "stale", "STALE", "WARNING", "CLEARED",
                null, null, NOW, null, "");
        JsonNode payload = new ObjectMapper().readTree(new SlackMessageFormatter(null, null, ZoneId.of("UTC")).toJson(stale));
        assertThat(payload.path("text").asText()).startsWith(":white_check_mark: *WARNING STALE CLEARED*")
                .contains("value n/a, limit n/a");
        assertThat(payload.path("blocks").toString()).doesNotContain("*Line*").contains("*Raised at*\\nn/a");
        assertThat(payload.path("blocks").size()).isEqualTo(4); // no message section
    }

    @Test
    void escapesMrkdwnControlCharacters() {
        AlertNotice tricky = new AlertNotice("<id>", "A&B", null, "<dev>", "t", "r", "HIGH", "WARNING", "RAISED",
                1e-4, 1e7, NOW, NOW, "<!channel> & co");
        SlackMessageFormatter formatter = new SlackMessageFormatter("{site} {device} {message} {value} {threshold}", "", ZoneId.of("UTC"));
        String text = formatter.toPayload(tricky).path("text").asText();
        assertThat(text).isEqualTo("A&amp;B &lt;dev&gt; &lt;!channel&gt; &amp; co 0.0001 10000000");
    }

    @Test
    void refusesUnknownPlaceholders() {
        assertThat(SlackMessageFormatter.validateTemplate("{severity} {nope}")).contains("unknown placeholder {nope}");
        assertThat(SlackMessageFormatter.validateTemplate("{severity} literal {braces")).isNull();
        assertThatThrownBy(() -> new SlackMessageFormatter("{sevrity}", "", ZoneId.of("UTC")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filterBySeverityAndState() {
        NoticeFilter critical = new NoticeFilter("CRITICAL", java.util.Set.copyOf(AlertNotice.STATES));
        assertThat(critical.accepts(notice("CRITICAL", "RAISED"))).isTrue();
        assertThat(critical.accepts(notice("WARNING", "RAISED"))).isFalse();
        assertThat(critical.accepts(notice("FATAL", "RAISED"))).as("an unknown, newer severity is never filtered").isTrue();
        NoticeFilter noClears = new NoticeFilter("WARNING", java.util.Set.of("RAISED", "ESCALATED"));
        assertThat(noClears.accepts(notice("WARNING", "CLEARED"))).isFalse();
        assertThat(noClears.accepts(notice("WARNING", "RAISED"))).isTrue();
        assertThat(NoticeFilter.all().accepts(notice("WARNING", "DEESCALATED"))).isTrue();
    }
}
