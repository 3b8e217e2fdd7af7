package io.tagstream.connect.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Worker REST extension that refuses literal secrets in our connectors' secret options ({@link LiteralSecrets}):
 * {@code PUT /connector-plugins/<class>/config/validate} reports them on the option, and creating or
 * updating a connector with one is refused with HTTP 400. The raw configuration is only visible here: the
 * connector itself sees resolved values. Enable with the worker option
 * {@code rest.extension.classes=io.tagstream.connect.config.SecretReferencePolicy}.
 */
public final class SecretReferencePolicy implements ConnectRestExtension {

    @Override
    public void register(ConnectRestExtensionContext context) {
        context.configurable().register(new Filter());
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }

    @Override
    public String version() {
        return "1";
    }

    static final class Filter implements ContainerRequestFilter, ContainerResponseFilter {
        private static final Pattern VALIDATE = Pattern.compile("/?connector-plugins/([^/]+)/config/validate/?");
        private static final Pattern CONFIG = Pattern.compile("/?connectors/([^/]+)/config/?");
        private static final Pattern CREATE = Pattern.compile("/?connectors/?");
        private static final String FOUND = SecretReferencePolicy.class.getName() + ".literals";
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public void filter(ContainerRequestContext request) throws IOException {
            String method = request.getMethod();
            String path = request.getUriInfo().getPath();
            Matcher validate = VALIDATE.matcher(path);
            boolean isValidate = method.equals("PUT") && validate.matches();
            boolean isWrite = (method.equals("PUT") || method.equals("PATCH")) && CONFIG.matcher(path).matches()
                    || method.equals("POST") && CREATE.matcher(path).matches();
            if (!isValidate && !isWrite) {
                return;
            }
            byte[] body = request.getEntityStream().readAllBytes();
            request.setEntityStream(new ByteArrayInputStream(body));
            Map<String, Object> config;
            try {
                Map<String, Object> json = JSON.readValue(body, new TypeReference<Map<String, Object>>() { });
                config = method.equals("POST") && json.get("config") instanceof Map<?, ?> inner ? cast(inner) : json;
            } catch (IOException | RuntimeException notAMap) {
                return; // Connect answers a malformed body itself
            }
            Object connectorClass = config.get("connector.class");
            String className = connectorClass != null ? connectorClass.toString() : isValidate ? validate.group(1) : null;
            Map<String, String> literals = LiteralSecrets.find(className, config);
            if (literals.isEmpty()) {
                return;
            }
            if (isValidate) {
                request.setProperty(FOUND, literals);
            } else {
                request.abortWith(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Map.of("error_code", 400, "message", String.join("; ", literals.values()))).build());
            }
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            Object found = request.getProperty(FOUND);
            if (!(found instanceof Map<?, ?> literals) || !(response.getEntity() instanceof ConfigInfos infos)) {
                return;
            }
            List<ConfigInfo> configs = new ArrayList<>();
            int added = 0;
            for (ConfigInfo info : infos.configs()) {
                ConfigValueInfo value = info.configValue();
                Object message = value == null ? null : literals.get(value.name());
                if (message != null) {
                    List<String> errors = new ArrayList<>(value.errors());
                    errors.add(message.toString());
                    value = new ConfigValueInfo(value.name(), value.value(), value.recommendedValues(), errors, value.visible());
                    added++;
                }
                configs.add(new ConfigInfo(info.configKey(), value));
            }
            response.setEntity(new ConfigInfos(infos.name(), infos.errorCount() + added, infos.groups(), configs));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> cast(Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
    }
}
