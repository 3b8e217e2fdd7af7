package io.tagstream.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Compose's topic script and the KafkaTopic resources declare exactly the topics of
 * io.tagstream.stack.TopicCatalog (names, partitions, retention, cleanup), plus only the dead-letter
 * topics that a Streams app's config names and the catalog does not list yet.
 */
class TopicsTest {

    private final Path repo = Repo.root();

    @Test
    void kafkaTopicResourcesMatchTheCatalog() throws Exception {
        assertMatchesCatalog(TopicSpecs.fromKafkaTopics(Repo.yamlDocuments(Repo.read(repo.resolve("k8s/base/kafka/topics.yaml")))),
                "k8s/base/kafka/topics.yaml");
    }

    @Test
    void composeTopicScriptMatchesTheCatalog() throws Exception {
        assertMatchesCatalog(TopicSpecs.fromComposeScript(Repo.read(repo.resolve("compose/kafka/create-topics.sh"))),
                "compose/kafka/create-topics.sh");
    }

    private void assertMatchesCatalog(Map<String, TopicSpecs.Topic> declared, String where) throws Exception {
        Map<String, TopicSpecs.Topic> catalog = TopicSpecs.catalog();
        assertThat(catalog).as("TopicCatalog").isNotEmpty();
        for (TopicSpecs.Topic topic : catalog.values()) {
            assertThat(declared).as("%s declares TopicCatalog's %s", where, topic.name()).containsKey(topic.name());
            assertThat(declared.get(topic.name())).as("%s: %s as in TopicCatalog", where, topic.name()).isEqualTo(topic);
        }
        Set<String> extra = new HashSet<>(declared.keySet());
        extra.removeAll(catalog.keySet());
        Set<String> allowed = new HashSet<>(TopicSpecs.appDeadLetterTopics(repo).values());
        assertThat(allowed).as("the apps' dead-letter topics").isNotEmpty();
        assertThat(extra).as("%s: topics beyond TopicCatalog must be dead-letter topics an app's config names", where)
                .isSubsetOf(allowed);
        for (String name : extra) {
            assertThat(declared.get(name).partitions()).as("%s: %s", where, name).isEqualTo(1);
            assertThat(declared.get(name).configs()).as("%s: %s like the catalog's dlq topics", where, name)
                    .isEqualTo(catalog.get("dlq.deadband").configs());
        }
        // every app's dead-letter topic exists one way or the other
        assertThat(declared.keySet()).as("%s covers every app's dlq.topic", where).containsAll(allowed);
    }
}
