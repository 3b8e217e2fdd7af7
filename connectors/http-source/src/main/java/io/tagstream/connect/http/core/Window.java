package io.tagstream.connect.http.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A bounded time slice of the source, both ends inclusive ({@code from <= ts <= to}), because the APIs we
 * target (KMA's startHh/endHh) name the first and the last hour they return.
 */
public record Window(Instant from, Instant to) {

    public Window {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("window ends before it starts: " + from + " > " + to);
        }
    }

    public boolean contains(Instant ts) {
        return !ts.isBefore(from) && !ts.isAfter(to);
    }

    @Override
    public String toString() {
        return "[" + from + " .. " + to + "]";
    }
}
