package io.tagstream.connect.webhook.core;

import java.util.function.Consumer;

/**
 * A durable record of delivered event ids that outlives the task: written right after each successful
 * POST, read back when a task starts or is given partitions. It closes the gap between a delivery and the
 * commit of its offset (the Kafka implementation is a compacted topic).
 */
public interface DeliveredLog extends AutoCloseable {

    /** Hands every event id appended since the previous call (all of them on the first) to {@code sink}. */
    void catchUp(Consumer<String> sink);

    /** Stores one delivered event id durably; returns once stored, throws when it could not be. */
    void append(String eventId, String record);

    @Override
    void close();
}
