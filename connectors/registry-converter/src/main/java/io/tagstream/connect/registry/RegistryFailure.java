package io.tagstream.connect.registry;

import io.apicurio.registry.rest.client.exception.RateLimitedClientException;
import io.apicurio.registry.rest.client.exception.RestClientException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells a transient registry failure (worth retrying the same record later) from a permanent one.
 *
 * <p>What the Apicurio 2.6.13 client throws (read from its classes, reproduced against a stopped registry):
 * <ul>
 *   <li>registry unreachable / connection reset / timeout: the JDK HTTP client's IOException is turned
 *       into a {@link RestClientException} whose error carries no HTTP code, named after the
 *       IOException (e.g. {@code ConnectException}, {@code HttpConnectTimeoutException}), and no cause;</li>
 *   <li>HTTP 429: {@link RateLimitedClientException} (thrown once the serde's retry-count is spent);</li>
 *   <li>any other HTTP error: a {@link RestClientException} subclass carrying the HTTP code
 *       (409 ConflictException / RuleViolationException for an incompatible schema, 404 ..NotFound..).</li>
 * </ul>
 * The converter may wrap these, so the whole cause chain is examined.
 */
public final class RegistryFailure {

    private RegistryFailure() {
    }

    /** True when retrying the same operation later may succeed without anyone changing anything. */
    public static boolean isTransient(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof RateLimitedClientException || t instanceof IOException) {
                return true;
            }
            if (t instanceof RestClientException rest) {
                return isTransient(rest);
            }
        }
        return false;
    }

    private static boolean isTransient(RestClientException rest) {
        if (rest.getError() == null) {
            return false;
        }
        Integer code = rest.getError().getErrorCode();
        if (code == null) {
            // no HTTP answer at all: the request failed on the wire, unless the answer was unparseable JSON
            String name = rest.getError().getName();
            return name == null || !name.contains("Json");
        }
        return code >= 500 || code == 429 || code == 408;
    }
}
