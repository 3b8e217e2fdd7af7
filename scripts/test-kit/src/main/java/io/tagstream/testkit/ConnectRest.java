package io.tagstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;

/** The shared stack's Connect worker over its REST API: register, inspect and remove connectors, await states. */
public final class ConnectRest {

    public static final String RUNNING = "RUNNING";

    private final StackEndpoints stack;

    public ConnectRest(StackEndpoints stack) {
        this.stack = stack;
    }

    /** A new connector config of this class. */
    public static ObjectNode config(String connectorClass) {
        ObjectNode config = JsonHttp.mapper().createObjectNode();
        config.put("connector.class", connectorClass);
        return config;
    }

    /**
     * String keys and Avro values in Confluent's wire format through the stack's registry, schemas
     * registered on first write, the way our source connectors produce Readings. Enhanced schema support
     * keeps Avro enums (quality, origin) enums; without it the converter writes them as plain strings,
     * which a Reading reader rejects.
     */
    public ObjectNode sourceConverters(ObjectNode config) {
        sinkConverters(config);
        config.put("value.converter.apicurio.registry.auto-register", "true");
        config.put("value.converter.enhanced.avro.schema.support", "true");
        return config;
    }

    /**
     * String keys and Avro values in Confluent's wire format, read through the stack's registry, with the
     * converter and registry settings the shipped connectors use (connectors/config): transient registry
     * failures are retried, not fatal.
     */
    public ObjectNode sinkConverters(ObjectNode config) {
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "io.tagstream.connect.registry.RetryingAvroConverter");
        config.put("value.converter.apicurio.registry.url", stack.registryApiUrl());
        config.put("value.converter.apicurio.registry.headers.enabled", "false");
        config.put("value.converter.apicurio.registry.as-confluent", "true");
        config.put("value.converter.apicurio.registry.use-id", "contentId");
        config.put("value.converter.apicurio.registry.fault-tolerant-refresh", "true");
        config.put("errors.retry.timeout", "60000");
        config.put("errors.retry.delay.max.ms", "5000");
        return config;
    }

    /** Creates or replaces the connector (PUT /connectors/{name}/config); fails the test when Connect refuses it. */
    public void put(String name, ObjectNode config) throws Exception {
        JsonHttp.Response response = JsonHttp.put(url("/connectors/" + name + "/config"), JsonHttp.mapper().writeValueAsString(config));
        assertThat(response.status()).as("PUT connector %s: %s", name, response.body()).isIn(200, 201);
    }

    public JsonHttp.Response delete(String name) throws Exception {
        return JsonHttp.delete(url("/connectors/" + name));
    }

    /** GET /connectors/{name}/status as JSON; an empty object while Connect cannot tell (e.g. restarting). */
    public JsonNode status(String name) {
        try {
            return JsonHttp.get(url("/connectors/" + name + "/status")).json();
        } catch (Exception e) {
            return JsonHttp.mapper().createObjectNode();
        }
    }

    /** The connector's state followed by each task's. */
    public List<String> states(String name) {
        JsonNode status = status(name);
        List<String> states = new ArrayList<>();
        states.add(status.path("connector").path("state").asText());
        status.path("tasks").forEach(task -> states.add(task.path("state").asText()));
        return states;
    }

    /** Waits until the connector and all its tasks (at least one) are RUNNING. */
    public void awaitRunning(String name, Duration timeout) {
        Awaitility.await("connector " + name + " and its tasks RUNNING").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    List<String> states = states(name);
                    assertThat(states).as("connector and tasks of %s: %s", name, status(name)).hasSizeGreaterThan(1)
                            .containsOnly(RUNNING);
                });
    }

    /** Waits until the connector's first task is in this state. */
    public void awaitTaskState(String name, String state, Duration timeout) {
        Awaitility.await("task of " + name + " " + state).atMost(timeout).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode status = status(name);
                    assertThat(status.path("tasks").path(0).path("state").asText()).as("%s", status).isEqualTo(state);
                });
    }

    /** Waits until the connector itself is in this state. */
    public void awaitConnectorState(String name, String state, Duration timeout) {
        Awaitility.await("connector " + name + " " + state).atMost(timeout).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode status = status(name);
                    assertThat(status.path("connector").path("state").asText()).as("%s", status).isEqualTo(state);
                });
    }

    /** The worker's URL of this path. */
    public String url(String path) {
        return stack.connectUrl() + path;
    }
}
