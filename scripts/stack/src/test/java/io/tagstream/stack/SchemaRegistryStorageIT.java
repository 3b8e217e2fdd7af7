package io.tagstream.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.stack.testing.SharedStack;

/**
 * The registry's storage under what a cold start does: many connectors and apps registering their first
 * schemas at the same moment. With the former H2 file store these failed with lock timeouts; every one
 * must succeed and every id must resolve to the schema registered under it.
 */
class SchemaRegistryStorageIT {

    private static final int THREADS = 16;
    private static final int SCHEMAS_PER_THREAD = 4;

    private static StackEndpoints endpoints;

    @BeforeAll
    static void stack() {
        endpoints = SharedStack.get();
    }

    @Test
    void concurrentFirstRegistrationsOfNewSubjectsAllSucceedAndResolve() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> schemaBySubject = new ConcurrentHashMap<>();
        for (int thread = 0; thread < THREADS; thread++) {
            for (int n = 0; n < SCHEMAS_PER_THREAD; n++) {
                String record = "R" + run + "_" + thread + "_" + n;
                schemaBySubject.put("it.registry-storage." + record + "-value", schema(record));
            }
        }
        List<String> subjects = new ArrayList<>(schemaBySubject.keySet());

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
        Map<String, String> failures = new ConcurrentHashMap<>();
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                List<String> mine = subjects.subList(thread * SCHEMAS_PER_THREAD, (thread + 1) * SCHEMAS_PER_THREAD);
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (String subject : mine) {
                        try {
                            JsonHttp.Response response = register(subject, schemaBySubject.get(subject));
                            if (response.status() == 200 && response.json().path("id").isInt()) {
                                idBySubject.put(subject, response.json().path("id").asInt());
                            } else {
                                failures.put(subject, "HTTP " + response.status() + " " + response.body());
                            }
                        } catch (java.io.IOException e) {
                            // a registry stuck on locks answers nothing within JsonHttp's 30 s
                            failures.put(subject, e.toString());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> task : tasks) {
                task.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(failures).as("registrations that failed").isEmpty();
        assertThat(idBySubject).hasSize(THREADS * SCHEMAS_PER_THREAD);
        // distinct schemas get distinct ids: no two registrations were given the same sequence value
        Set<Integer> ids = new HashSet<>(idBySubject.values());
        assertThat(ids).hasSize(idBySubject.size());

        for (Map.Entry<String, Integer> entry : idBySubject.entrySet()) {
            String subject = entry.getKey();
            JsonHttp.Response byId = JsonHttp.get(endpoints.confluentCompatibleUrl() + "/schemas/ids/" + entry.getValue());
            assertThat(byId.status()).as("GET /schemas/ids/%s (%s)", entry.getValue(), subject).isEqualTo(200);
            assertThat(JsonHttp.mapper().readTree(byId.json().path("schema").asText()))
                    .as("schema behind id %s", entry.getValue())
                    .isEqualTo(JsonHttp.mapper().readTree(schemaBySubject.get(subject)));
            // registering the same schema again is a lookup: same id, no new version
            JsonHttp.Response again = register(subject, schemaBySubject.get(subject));
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().path("id").asInt()).isEqualTo(entry.getValue());
            JsonHttp.Response versions = JsonHttp.get(subjectUrl(subject) + "/versions");
            assertThat(versions.json()).hasSize(1);
        }
    }

    private static JsonHttp.Response register(String subject, String schema) throws Exception {
        ObjectNode body = JsonHttp.mapper().createObjectNode().put("schema", schema);
        return JsonHttp.post(subjectUrl(subject) + "/versions", JsonHttp.mapper().writeValueAsString(body));
    }

    private static String subjectUrl(String subject) {
        return endpoints.confluentCompatibleUrl() + "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private static String schema(String record) throws Exception {
        JsonNode schema = JsonHttp.mapper().readTree("""
                {"type": "record", "namespace": "io.tagstream.it", "name": "%s",
                 "fields": [{"name": "site", "type": "string"}, {"name": "value", "type": "double"}]}
                """.formatted(record));
        return JsonHttp.mapper().writeValueAsString(schema);
    }
}
