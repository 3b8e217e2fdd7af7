package io.tagstream.connect.http.core;

import java.util.Map;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record of an API response, JSON object or CSV line. Fields are looked up by name, or by JSON pointer
 * when the name starts with '/'. Values come back as text exactly as the API sent them; null when absent.
 */
public interface Row {

    String get(String field);

    /** The row as the API sent it, for the dead-letter topic. */
    String raw();

    static Row of(JsonNode node) {
        return new Row() {
            @Override
            public String get(String field) {
                JsonNode value = field.startsWith("/") ? node.at(JsonPointer.compile(field)) : node.get(field);
                if (value == null || value.isMissingNode() || value.isNull()) {
                    return null;
                }
                return value.isValueNode() ? value.asText() : value.toString();
            }

            @Override
            public String raw() {
                return node.toString();
            }
        };
    }

    static Row of(Map<String, String> fields, String raw) {
        return new Row() {
            @Override
            public String get(String field) {
                return fields.get(field);
            }

            @Override
            public String raw() {
                return raw;
            }
        };
    }
}
