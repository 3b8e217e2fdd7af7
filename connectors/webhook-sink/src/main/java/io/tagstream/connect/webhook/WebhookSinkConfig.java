package io.tagstream.connect.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import io.tagstream.connect.config.InvalidOption;
import io.tagstream.connect.config.ProviderReferences;
import io.tagstream.connect.config.TimeZoneValidator;
import io.tagstream.connect.webhook.core.AlertNotice;
import io.tagstream.connect.webhook.core.NoticeFilter;
import io.tagstream.connect.webhook.core.RetryPolicy;
import io.tagstream.connect.webhook.core.SlackMessageFormatter;
import io.tagstream.connect.webhook.core.StatusSet;

/**
 * Options of the webhook sink. The URL is a PASSWORD: Slack-style webhook URLs are bearer secrets, so the
 * option is given as a config provider reference ({@code ${file:/path:key}} or {@code ${env:NAME}}), is
 * resolved by the worker, and is never logged or shown by the REST API.
 */
public final class WebhookSinkConfig extends AbstractConfig {

    public static final String WEBHOOK_URL = "webhook.url";
    public static final String WEBHOOK_TIMEOUT_MS = "webhook.timeout.ms";
    public static final String MESSAGE_TEMPLATE = "message.template";
    public static final String MESSAGE_CHANNEL = "message.channel";
    public static final String MESSAGE_TIME_ZONE = "message.time.zone";
    public static final String MIN_SEVERITY = "filter.min.severity";
    public static final String STATES = "filter.states";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String RETRY_AFTER_MAX_MS = "retry.after.max.ms";
    public static final String RETRY_STATUSES = "retry.statuses";
    public static final String RETRIES_EXHAUSTED = "retries.exhausted.action";
    public static final String DELIVERED_TOPIC = "delivered.topic";
    public static final String DELIVERED_BOOTSTRAP_SERVERS = "delivered.bootstrap.servers";
    public static final String DELIVERED_REPLICATION_FACTOR = "delivered.topic.replication.factor";
    public static final String DELIVERED_RETENTION_MS = "delivered.retention.ms";
    /** Prefix for extra Kafka client settings of the delivered-id log (security, for example). */
    public static final String DELIVERED_CLIENT_PREFIX = "delivered.kafka.";

    public static final String EXHAUSTED_FAIL = "fail";
    public static final String EXHAUSTED_DLQ = "dlq";

    private static final String GROUP_WEBHOOK = "Webhook";
    private static final String GROUP_MESSAGE = "Message";
    private static final String GROUP_RETRIES = "Retries";
    private static final String GROUP_DELIVERED = "Delivered-id log";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(WEBHOOK_URL, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, new HttpUrl(), Importance.HIGH,
                    "The incoming-webhook URL (http or https). It is a secret: give a config provider reference, "
                            + "${file:/path/to/webhook.properties:url} or ${env:ALERT_WEBHOOK_URL}, never the literal; "
                            + "the worker resolves it and the stored config keeps only the reference.",
                    GROUP_WEBHOOK, 1, Width.LONG, "Webhook URL")
            .define(WEBHOOK_TIMEOUT_MS, Type.LONG, 4_000L, ConfigDef.Range.between(100, 120_000), Importance.MEDIUM,
                    "Connect and response timeout of one POST; a timeout is retried. Keep it below the worker's "
                            + "task.shutdown.graceful.timeout.ms (5 s by default) so a stopping task never leaves a request "
                            + "in flight while the next owner of the partition starts.",
                    GROUP_WEBHOOK, 2, Width.SHORT, "Timeout")
            .define(MESSAGE_TEMPLATE, Type.STRING, "", new Template(), Importance.LOW,
                    "The notification line (Slack 'text', also the first block). Placeholders: {"
                            + String.join("}, {", SlackMessageFormatter.PLACEHOLDERS) + "}. Empty: "
                            + SlackMessageFormatter.DEFAULT_TEMPLATE,
                    GROUP_MESSAGE, 1, Width.LONG, "Message template")
            .define(MESSAGE_CHANNEL, Type.STRING, "", Importance.LOW,
                    "Channel override sent as 'channel' (only for webhooks that allow it); empty: the webhook's own.",
                    GROUP_MESSAGE, 2, Width.SHORT, "Channel")
            .define(MESSAGE_TIME_ZONE, Type.STRING, "UTC", new TimeZoneValidator(), Importance.LOW,
                    "Time zone of the times shown in messages, e.g. Asia/Seoul.", GROUP_MESSAGE, 3, Width.SHORT, "Time zone")
            .define(MIN_SEVERITY, Type.STRING, "WARNING", ConfigDef.CaseInsensitiveValidString.in("WARNING", "CRITICAL"),
                    Importance.MEDIUM,
                    "Only transitions whose severity is at least this are posted. The severity is the one carried by "
                            + "the event: with CRITICAL, the DEESCALATED (to WARNING) and the CLEARED of a warning are not posted.",
                    GROUP_MESSAGE, 4, Width.SHORT, "Minimum severity")
            .define(STATES, Type.LIST, String.join(",", AlertNotice.STATES), new States(), Importance.LOW,
                    "Which transitions are posted (RAISED, ESCALATED, DEESCALATED, CLEARED).",
                    GROUP_MESSAGE, 5, Width.MEDIUM, "States")
            .define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                    "Retries of one event after a retryable status, timeout or connection failure; -1: without limit. "
                            + "Then retries.exhausted.action applies.", GROUP_RETRIES, 1, Width.SHORT, "Max retries")
            .define(RETRY_BACKOFF_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "First backoff; doubled per retry up to retry.backoff.max.ms, with up to 20 % jitter.",
                    GROUP_RETRIES, 2, Width.SHORT, "Retry backoff")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Longest computed backoff.", GROUP_RETRIES, 3, Width.SHORT, "Max retry backoff")
            .define(RETRY_AFTER_MAX_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "A Retry-After header (seconds or HTTP date) longer than the computed backoff is honoured up to this.",
                    GROUP_RETRIES, 4, Width.SHORT, "Max Retry-After")
            .define(RETRY_STATUSES, Type.LIST, "408,429,5xx", new Statuses(), Importance.LOW,
                    "HTTP statuses that are retried, as codes or classes (5xx). Any other non-2xx status is permanent: "
                            + "the record goes to the dead-letter topic and the task carries on.",
                    GROUP_RETRIES, 5, Width.SHORT, "Retryable statuses")
            .define(RETRIES_EXHAUSTED, Type.STRING, EXHAUSTED_FAIL, ConfigDef.ValidString.in(EXHAUSTED_FAIL, EXHAUSTED_DLQ),
                    Importance.MEDIUM,
                    "When max.retries is used up: fail (the task stops with the reason, the offset is not committed, "
                            + "a restart continues with this event: nothing lost) or dlq (the record goes to the dead-letter "
                            + "topic, the task carries on).", GROUP_RETRIES, 6, Width.SHORT, "When retries are exhausted")
            .define(DELIVERED_TOPIC, Type.STRING, "", Importance.MEDIUM,
                    "Compacted topic of delivered event ids, written after every successful POST and read when a task "
                            + "starts. Empty: webhook.delivered.<connector name>. Created if missing.",
                    GROUP_DELIVERED, 1, Width.MEDIUM, "Delivered-id topic")
            .define(DELIVERED_BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Kafka bootstrap servers for the delivered-id topic (the cluster the connector reads from). Extra "
                            + "client settings go under delivered.kafka.*, e.g. delivered.kafka.security.protocol.",
                    GROUP_DELIVERED, 2, Width.MEDIUM, "Delivered-id bootstrap servers")
            .define(DELIVERED_REPLICATION_FACTOR, Type.SHORT, (short) -1, Importance.LOW,
                    "Replication factor when the topic is created; -1: the broker's default.",
                    GROUP_DELIVERED, 3, Width.SHORT, "Delivered-id replication factor")
            .define(DELIVERED_RETENTION_MS, Type.LONG, Duration.ofDays(7).toMillis(), ConfigDef.Range.atLeast(60_000),
                    Importance.LOW,
                    "How long delivered ids are kept (cleanup.policy=compact,delete). They are needed only until the "
                            + "offset is committed; longer retention also suppresses replays of old events.",
                    GROUP_DELIVERED, 4, Width.SHORT, "Delivered-id retention");

    public WebhookSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_MS)) {
            throw new InvalidOption(RETRY_BACKOFF_MAX_MS, getLong(RETRY_BACKOFF_MAX_MS), "must be at least " + RETRY_BACKOFF_MS);
        }
    }

    public URI webhookUrl() {
        return URI.create(getPassword(WEBHOOK_URL).value().trim());
    }

    public Duration timeout() {
        return Duration.ofMillis(getLong(WEBHOOK_TIMEOUT_MS));
    }

    public SlackMessageFormatter formatter() {
        return new SlackMessageFormatter(getString(MESSAGE_TEMPLATE), getString(MESSAGE_CHANNEL), ZoneId.of(getString(MESSAGE_TIME_ZONE)));
    }

    public NoticeFilter filter() {
        return new NoticeFilter(getString(MIN_SEVERITY).toUpperCase(Locale.ROOT),
                Set.copyOf(getList(STATES).stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList()));
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(Duration.ofMillis(getLong(RETRY_BACKOFF_MS)), Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS)),
                Duration.ofMillis(getLong(RETRY_AFTER_MAX_MS)), getInt(MAX_RETRIES), StatusSet.parse(getList(RETRY_STATUSES)),
                () -> ThreadLocalRandom.current().nextDouble(), Clock.systemUTC());
    }

    public boolean deadLetterWhenExhausted() {
        return EXHAUSTED_DLQ.equals(getString(RETRIES_EXHAUSTED));
    }

    public String connectorName() {
        Object name = originals().get("name");
        return name == null ? "webhook-sink" : name.toString();
    }

    public String deliveredTopic() {
        String topic = getString(DELIVERED_TOPIC).trim();
        return topic.isEmpty() ? "webhook.delivered." + connectorName().replaceAll("[^a-zA-Z0-9._-]", "_") : topic;
    }

    /** Client settings of the delivered-id log: the bootstrap servers plus everything under delivered.kafka. */
    public Map<String, Object> deliveredClientConfig() {
        Map<String, Object> config = new HashMap<>(originalsWithPrefix(DELIVERED_CLIENT_PREFIX));
        config.put("bootstrap.servers", getString(DELIVERED_BOOTSTRAP_SERVERS));
        return config;
    }

    /** An absolute http(s) URL with a host; the message never repeats the value (it is a secret). */
    private static final class HttpUrl implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value instanceof Password password ? password.value() : value == null ? null : value.toString();
            if (text == null || text.isBlank()) {
                throw new ConfigException(name + " is required: the webhook URL (as a ${file:...} or ${env:...} reference)");
            }
            ProviderReferences.requireResolved(name, text);
            try {
                URI uri = new URI(text.trim());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    throw new ConfigException(name + " must be an absolute http or https URL with a host [value hidden]");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name + " is not a valid URL (" + e.getReason() + ") [value hidden]");
            }
        }

        @Override
        public String toString() {
            return "http(s) URL, as a config provider reference";
        }
    }

    private static final class Template implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String problem = SlackMessageFormatter.validateTemplate((String) value);
            if (problem != null) {
                throw new ConfigException(name, value, problem);
            }
        }

        @Override
        public String toString() {
            return "text with {placeholders}";
        }
    }

    private static final class States implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            List<String> states = (List<String>) value;
            if (states == null || states.isEmpty()) {
                throw new ConfigException(name, value, "name at least one state");
            }
            for (String state : states) {
                if (!AlertNotice.STATES.contains(state.trim().toUpperCase(Locale.ROOT))) {
                    throw new ConfigException(name, value, "unknown state " + state + "; known: " + AlertNotice.STATES);
                }
            }
        }

        @Override
        public String toString() {
            return "subset of " + AlertNotice.STATES;
        }
    }

    private static final class Statuses implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            try {
                StatusSet.parse((List<String>) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "status codes and classes, e.g. 408,429,5xx";
        }
    }
}
