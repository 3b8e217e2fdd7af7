package io.tagstream.connect.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigTransformer;

/**
 * Config provider references, {@code ${provider:[path:]key}}, as Connect's worker resolves them. A
 * connector only ever sees the resolved configuration, in {@code validate} as in {@code start}, so a
 * reference it can still see is one the worker could not resolve: the provider is not configured on
 * the worker, or it has no value for the key. Used as is, such a value would be sent as a secret or
 * parsed as a URL, with a confusing failure far from the cause.
 */
public final class ProviderReferences {

    /** Exactly what the worker replaces (its ConfigTransformer's pattern). */
    private static final Pattern REFERENCE = ConfigTransformer.DEFAULT_PATTERN;

    private ProviderReferences() {
    }

    /** A value that is one reference and nothing else, e.g. {@code ${file:/etc/tagstream/kma.properties:serviceKey}}. */
    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value.strip()).matches();
    }

    /**
     * Fails when the (resolved) value still holds a reference, naming the option, the reference and the
     * two possible causes. References are not secrets, so the message may show them.
     */
    public static void requireResolved(String option, String value) {
        if (value == null) {
            return;
        }
        Matcher matcher = REFERENCE.matcher(value);
        if (matcher.find()) {
            String provider = matcher.group(1);
            String path = matcher.group(3);
            String key = matcher.group(4);
            throw new InvalidOption(option, matcher.group(), "the worker did not resolve this reference: either it has no "
                    + "config provider named '" + provider + "' (worker option config.providers) or that provider has "
                    + "no value for key '" + key + "'" + (path == null ? "" : " in " + path)
                    + " (file: a missing key in the properties file; env: a variable not set in the worker's environment)");
        }
    }
}
