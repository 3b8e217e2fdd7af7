package io.tagstream.connect.http.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which time window to fetch next from the last timestamp fully ingested. History is read in
 * slices of at most {@code slice}; once caught up, windows end at the newest complete step that the API is
 * expected to have published ({@code now - availabilityLag}, floored to the step), so a window is only
 * declared done when its data can no longer change.
 */
public final class SlicePlanner {

    private final Instant start;
    private final Duration step;
    private final Duration slice;
    private final Duration availabilityLag;

    public SlicePlanner(Instant start, Duration step, Duration slice, Duration availabilityLag) {
        this.start = Objects.requireNonNull(start, "start");
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
        if (slice.compareTo(step) < 0) {
            throw new IllegalArgumentException("slice " + slice + " is shorter than one step " + step);
        }
        if (availabilityLag.isNegative()) {
            throw new IllegalArgumentException("availability lag must not be negative: " + availabilityLag);
        }
        this.step = step;
        this.slice = slice;
        this.availabilityLag = availabilityLag;
    }

    public Duration step() {
        return step;
    }

    /** The first timestamp not yet ingested: the start, or one step after the last one done. */
    public Instant firstPending(Instant lastDone) {
        return lastDone == null ? floor(start) : lastDone.plus(step);
    }

    /** The newest step the API is expected to have complete at {@code now}. */
    public Instant latestAvailable(Instant now) {
        return floor(now.minus(availabilityLag));
    }

    /** The next window to fetch, or empty when caught up with what the API has published. */
    public Optional<Window> next(Instant lastDone, Instant now) {
        Instant from = firstPending(lastDone);
        Instant latest = latestAvailable(now);
        if (from.isAfter(latest)) {
            return Optional.empty();
        }
        Instant sliceEnd = from.plus(slice).minus(step);
        return Optional.of(new Window(from, sliceEnd.isBefore(latest) ? sliceEnd : latest));
    }

    /** Floors to the step, counted from the epoch (whole hours stay whole hours in KST, UTC+9). */
    Instant floor(Instant instant) {
        long stepMs = step.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), stepMs) * stepMs);
    }
}
