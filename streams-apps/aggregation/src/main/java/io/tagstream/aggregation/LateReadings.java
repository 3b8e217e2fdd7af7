package io.tagstream.aggregation;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Headers of a reading sent to the late topic because its window had already closed: why, which window,
 * which window clock and how far it had got, the grace, and where the reading came from. The reading's own
 * headers are kept.
 */
public final class LateReadings {

    public static final String HEADER_REASON = "tagstream.late.reason";
    public static final String HEADER_APPLICATION = "tagstream.late.application";
    public static final String HEADER_WINDOW_START = "tagstream.late.window.start";
    public static final String HEADER_WINDOW_END = "tagstream.late.window.end";
    /** The time of the window clock that had closed the window: the tag's newest reading, or the partition's. */
    public static final String HEADER_STREAM_TIME = "tagstream.late.stream.time";
    /** Which window clock: {@code tag} or {@code partition} (the {@code window.clock} option). */
    public static final String HEADER_CLOCK = "tagstream.late.clock";
    public static final String HEADER_GRACE_MS = "tagstream.late.grace.ms";
    public static final String HEADER_TOPIC = "tagstream.late.source.topic";
    public static final String HEADER_PARTITION = "tagstream.late.source.partition";
    public static final String HEADER_OFFSET = "tagstream.late.source.offset";

    /** The value of {@link #HEADER_REASON}: the 1-minute window of the reading had closed (end + grace <= clock). */
    public static final String REASON_WINDOW_CLOSED = "WINDOW_CLOSED";

    private LateReadings() {
    }

    static Headers headers(Headers original, String applicationId, long windowStart, long clockTime, WindowClock clock,
                           long graceMs, RecordMetadata source) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                headers.add(header);
            }
        }
        headers.add(HEADER_REASON, utf8(REASON_WINDOW_CLOSED));
        headers.add(HEADER_APPLICATION, utf8(applicationId));
        headers.add(HEADER_WINDOW_START, utf8(Long.toString(windowStart)));
        headers.add(HEADER_WINDOW_END, utf8(Long.toString(windowStart + EpochWindows.MINUTE_MS)));
        headers.add(HEADER_STREAM_TIME, utf8(Long.toString(clockTime)));
        headers.add(HEADER_CLOCK, utf8(clock.configValue()));
        headers.add(HEADER_GRACE_MS, utf8(Long.toString(graceMs)));
        if (source != null) {
            headers.add(HEADER_TOPIC, utf8(source.topic()));
            headers.add(HEADER_PARTITION, utf8(Integer.toString(source.partition())));
            headers.add(HEADER_OFFSET, utf8(Long.toString(source.offset())));
        }
        return headers;
    }

    private static byte[] utf8(String value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
