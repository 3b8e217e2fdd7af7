package io.tagstream.connect.http.core;

import java.time.Duration;
import java.util.List;

/** What one HTTP exchange amounts to. */
public sealed interface FetchOutcome {

    /** Rows of one page; {@code totalCount} and {@code nextCursor} when the API reports them. */
    record Page(List<Row> rows, Integer totalCount, String nextCursor) implements FetchOutcome {
    }

    /** Transient (429, 5xx, timeout, connection lost): ask again later; {@code retryAfter} when the server said. */
    record Retry(String reason, Duration retryAfter) implements FetchOutcome {
    }

    /** The API answered with something that is not data: the payload goes to the dead-letter topic. */
    record ErrorPayload(String reason, int status) implements FetchOutcome {
    }
}
