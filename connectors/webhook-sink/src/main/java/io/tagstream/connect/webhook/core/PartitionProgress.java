package io.tagstream.connect.webhook.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Per partition, the offset after the last record this task has finished with (delivered, skipped as a
 * duplicate, filtered out, or dead-lettered). Records are handled strictly in order, so everything before
 * that offset is done: it is what may be committed, and a record below it (a batch Connect hands in again
 * after a retriable failure) needs no second look.
 *
 * @param <P> the partition type (TopicPartition in the task; anything in tests)
 */
public final class PartitionProgress<P> {

    private final Map<P, Long> next = new HashMap<>();

    public boolean isHandled(P partition, long offset) {
        Long nextOffset = next.get(partition);
        return nextOffset != null && offset < nextOffset;
    }

    public void handled(P partition, long offset) {
        next.merge(partition, offset + 1, Math::max);
    }

    /** The offset to commit for the partition, or null when nothing has been handled since it was assigned. */
    public Long committable(P partition) {
        return next.get(partition);
    }

    public void forget(P partition) {
        next.remove(partition);
    }
}
