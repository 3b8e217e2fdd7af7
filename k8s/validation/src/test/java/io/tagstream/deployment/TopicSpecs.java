package io.tagstream.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.tagstream.stack.TopicCatalog;

/** Topics as declared by TopicCatalog, by the compose topic script and by the KafkaTopic resources. */
final class TopicSpecs {

    record Topic(String name, int partitions, Map<String, String> configs) {
    }

    private TopicSpecs() {
    }

    static Map<String, Topic> catalog() {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (TopicCatalog.TopicSpec spec : TopicCatalog.TOPICS) {
            topics.put(spec.name(), new Topic(spec.name(), spec.partitions(), new TreeMap<>(spec.configs())));
        }
        return topics;
    }

    /** The dead-letter topics the Streams apps' configs name (dlq.topic), by app directory. */
    static Map<String, String> appDeadLetterTopics(Path repo) throws Exception {
        Map<String, String> topics = new TreeMap<>();
        try (var dirs = Files.list(repo.resolve("streams-apps"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path config = dir.resolve("config/local.properties");
                if (Files.isRegularFile(config)) {
                    Properties properties = new Properties();
                    try (var in = Files.newInputStream(config)) {
                        properties.load(in);
                    }
                    String dlq = properties.getProperty("dlq.topic");
                    if (dlq != null) {
                        topics.put(dir.getFileName().toString(), dlq.trim());
                    }
                }
            }
        }
        return topics;
    }

    /** KafkaTopic resources of a list of rendered objects, by topic name. */
    static Map<String, Topic> fromKafkaTopics(Iterable<JsonNode> objects) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (JsonNode object : objects) {
            if (!"KafkaTopic".equals(object.path("kind").asText())) {
                continue;
            }
            JsonNode spec = object.path("spec");
            String name = spec.path("topicName").asText(object.path("metadata").path("name").asText());
            Map<String, String> configs = new TreeMap<>();
            spec.path("config").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
            topics.put(name, new Topic(name, spec.path("partitions").asInt(-1), configs));
        }
        return topics;
    }

    private static final Pattern CALL = Pattern.compile("^(telemetry|delete_after|compacted)\\s+(\\S+)(?:\\s+(\\d+))?(?:\\s+(\\d+))?\\s*$");
    private static final long DAY = 86_400_000L;

    /** The topics compose/kafka/create-topics.sh creates: its telemetry / delete_after / compacted calls. */
    static Map<String, Topic> fromComposeScript(String script) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (String line : script.split("\n")) {
            Matcher m = CALL.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            String name = m.group(2);
            Map<String, String> configs = new TreeMap<>();
            int partitions;
            switch (m.group(1)) {
                case "telemetry" -> {
                    partitions = 6;
                    configs.put("cleanup.policy", "delete");
                    configs.put("retention.ms", Long.toString(Long.parseLong(m.group(3)) * DAY));
                    configs.put("compression.type", "producer");
                    configs.put("message.timestamp.type", "CreateTime");
                }
                case "delete_after" -> {
                    partitions = Integer.parseInt(m.group(3));
                    configs.put("cleanup.policy", "delete");
                    configs.put("retention.ms", Long.toString(Long.parseLong(m.group(4)) * DAY));
                }
                default -> {
                    partitions = 1;
                    configs.put("cleanup.policy", "compact");
                    configs.put("delete.retention.ms", Long.toString(DAY));
                    configs.put("min.compaction.lag.ms", "0");
                }
            }
            topics.put(name, new Topic(name, partitions, configs));
        }
        return topics;
    }
}
