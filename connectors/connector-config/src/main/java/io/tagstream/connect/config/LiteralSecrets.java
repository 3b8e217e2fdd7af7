package io.tagstream.connect.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which options of our connectors hold secrets, and whether a raw (unresolved) configuration gives them
 * as literals. A connector cannot tell: the worker resolves {@code ${file:...}} and {@code ${env:...}}
 * before {@code validate} and {@code start}, so both arrive as the secret itself. Only the raw
 * configuration sent to the worker's REST API shows the difference, which is where
 * {@link SecretReferencePolicy} applies this.
 */
public final class LiteralSecrets {

    /** Connector class to its secret options (PASSWORD options documented as "give a reference"). */
    static final Map<String, List<String>> SECRET_OPTIONS = Map.of(
            "io.tagstream.connect.http.HttpSourceConnector", List.of("auth.secret"),
            "io.tagstream.connect.webhook.WebhookSinkConnector", List.of("webhook.url"));

    private LiteralSecrets() {
    }

    /**
     * The secret options the raw configuration gives as literals, each with the message for it, in the
     * order of {@link #SECRET_OPTIONS}. Empty values are not literals (the connector's own checks say
     * when a secret is required). The messages never repeat the value.
     *
     * @param connectorClass the connector.class value: a full name or Connect's short alias
     */
    public static Map<String, String> find(String connectorClass, Map<String, ?> rawConfig) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String option : secretOptions(connectorClass)) {
            Object value = rawConfig.get(option);
            if (value != null && !value.toString().isBlank() && !ProviderReferences.isReference(value.toString())) {
                found.put(option, message(option));
            }
        }
        return found;
    }

    static List<String> secretOptions(String connectorClass) {
        if (connectorClass == null) {
            return List.of();
        }
        String name = connectorClass.strip();
        for (Map.Entry<String, List<String>> entry : SECRET_OPTIONS.entrySet()) {
            String full = entry.getKey();
            String simple = full.substring(full.lastIndexOf('.') + 1);
            if (name.equals(full) || name.equals(simple) || name.equals(simple.replaceFirst("Connector$", ""))) {
                return entry.getValue();
            }
        }
        return List.of();
    }

    static String message(String option) {
        return option + " holds a literal secret [value hidden]; give a reference the worker resolves instead: "
                + "${file:<path>:<key>} (a properties file on the worker) or ${env:<VAR>} (a variable in the worker's "
                + "environment), so the stored configuration and GET /connectors/<name>/config show only the reference";
    }
}
