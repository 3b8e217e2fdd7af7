package io.tagstream.connect.webhook.core;

/**
 * What one POST came back with: an HTTP status (with its Retry-After header and the start of the body, for
 * reasons), or no status at all because of a timeout or a transport failure.
 */
public record HttpOutcome(int status, String retryAfter, String body, String failure) {

    public static HttpOutcome response(int status, String retryAfter, String body) {
        return new HttpOutcome(status, retryAfter, body == null ? "" : body, null);
    }

    public static HttpOutcome timeout(String detail) {
        return new HttpOutcome(-1, null, "", "timeout: " + detail);
    }

    public static HttpOutcome transportFailure(String detail) {
        return new HttpOutcome(-1, null, "", detail);
    }

    public boolean answered() {
        return status > 0;
    }

    public String describe() {
        if (!answered()) {
            return failure;
        }
        String snippet = body.strip().replaceAll("\\s+", " ");
        if (snippet.length() > 200) {
            snippet = snippet.substring(0, 200) + "…";
        }
        return "HTTP " + status + (snippet.isEmpty() ? "" : " " + snippet);
    }
}
