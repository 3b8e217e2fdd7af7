package io.tagstream.connect.webhook.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders an alert as a Slack-compatible incoming-webhook payload: {@code text} (the notification line,
 * also what receivers without Block Kit show) and {@code blocks} (header, message, fields, context), plus
 * {@code channel} when one is configured. Receivers that speak Slack's format (Mattermost, Rocket.Chat,
 * Teams workflows, most chat bridges) render it as it is.
 *
 * <p>An optional template replaces the text line; placeholders are the field names in braces, see
 * {@link #PLACEHOLDERS}.
 */
public final class SlackMessageFormatter {

    public static final String DEFAULT_TEMPLATE =
            "{icon} *{severity} {kind} {state}* {site}/{device}/{tag}: value {value}, limit {threshold} at {time}";

    /** Everything a template may use. */
    public static final java.util.List<String> PLACEHOLDERS = java.util.List.of("icon", "alert_id", "site", "line",
            "device", "tag", "rule_id", "kind", "severity", "state", "value", "threshold", "time", "raised_at", "message");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Slack's limit for header text. */
    private static final int HEADER_MAX = 150;
    /** Slack's limit for a section's text; longer messages are cut. */
    private static final int SECTION_MAX = 3000;

    private final String template;
    private final String channel;
    private final DateTimeFormatter timeFormat;

    public SlackMessageFormatter(String template, String channel, ZoneId zone) {
        this.template = template == null || template.isBlank() ? DEFAULT_TEMPLATE : template;
        this.channel = channel == null ? "" : channel.trim();
        this.timeFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx").withZone(zone);
        String problem = validateTemplate(this.template);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Null when the template is usable, else what is wrong with it. */
    public static String validateTemplate(String template) {
        if (template == null || template.isBlank()) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (!PLACEHOLDERS.contains(matcher.group(1))) {
                return "unknown placeholder {" + matcher.group(1) + "}; known: " + String.join(", ", PLACEHOLDERS);
            }
        }
        return null;
    }

    public String toJson(AlertNotice notice) {
        try {
            return MAPPER.writeValueAsString(toPayload(notice));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the webhook payload", e);
        }
    }

    public ObjectNode toPayload(AlertNotice notice) {
        Map<String, String> values = values(notice);
        ObjectNode payload = MAPPER.createObjectNode();
        if (!channel.isEmpty()) {
            payload.put("channel", channel);
        }
        String text = render(values);
        payload.put("text", text);

        ArrayNode blocks = payload.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("emoji", true)
                .put("text", cut(notice.severity() + " " + notice.kind() + " " + notice.state() + ": "
                        + notice.site() + "/" + notice.device() + "/" + notice.tag(), HEADER_MAX));

        ObjectNode summary = blocks.addObject().put("type", "section");
        summary.putObject("text").put("type", "mrkdwn").put("text", cut(text, SECTION_MAX));

        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        field(fields, "Severity", values.get("severity"));
        field(fields, "State", values.get("state") + " (" + values.get("kind") + ")");
        field(fields, "Site / device / tag", values.get("site") + " / " + values.get("device") + " / " + values.get("tag"));
        if (notice.line() != null && !notice.line().isBlank()) {
            field(fields, "Line", values.get("line"));
        }
        field(fields, "Value", values.get("value"));
        field(fields, "Limit", values.get("threshold"));
        field(fields, "Time", values.get("time"));
        field(fields, "Raised at", values.get("raised_at"));

        if (notice.message() != null && !notice.message().isBlank()) {
            ObjectNode message = blocks.addObject().put("type", "section");
            message.putObject("text").put("type", "mrkdwn").put("text", cut("> " + values.get("message"), SECTION_MAX));
        }

        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "alert_id `" + values.get("alert_id") + "` · rule `" + values.get("rule_id") + "`");
        return payload;
    }

    /** The template with every placeholder replaced by its (escaped) value. */
    String render(Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    Map<String, String> values(AlertNotice notice) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("icon", icon(notice));
        values.put("alert_id", escape(notice.alertId()));
        values.put("site", escape(notice.site()));
        values.put("line", escape(notice.line() == null ? "" : notice.line()));
        values.put("device", escape(notice.device()));
        values.put("tag", escape(notice.tag()));
        values.put("rule_id", escape(notice.ruleId()));
        values.put("kind", escape(notice.kind()));
        values.put("severity", escape(notice.severity()));
        values.put("state", escape(notice.state()));
        values.put("value", number(notice.value()));
        values.put("threshold", number(notice.threshold()));
        values.put("time", time(notice.ts()));
        values.put("raised_at", time(notice.raisedAt()));
        values.put("message", escape(notice.message() == null ? "" : notice.message()));
        return values;
    }

    private static String icon(AlertNotice notice) {
        if ("CLEARED".equals(notice.state())) {
            return ":white_check_mark:";
        }
        return "CRITICAL".equals(notice.severity()) ? ":rotating_light:" : ":warning:";
    }

    /** Plain decimal without a trailing .0 or an exponent: 12.5, 10, 0.0001. */
    static String number(Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return value == null ? "n/a" : value.toString();
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private String time(Instant instant) {
        return instant == null ? "n/a" : timeFormat.format(instant);
    }

    /** Slack's mrkdwn needs exactly these three escaped; anything else is shown as it is. */
    static String escape(String text) {
        if (text == null) {
            return "?";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void field(ArrayNode fields, String title, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + title + "*\n" + value);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
