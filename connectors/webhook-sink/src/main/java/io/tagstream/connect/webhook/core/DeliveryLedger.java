package io.tagstream.connect.webhook.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event ids known to be delivered: those this task posted, and those read back from the delivered-id
 * log (other tasks, earlier runs). An event id in here is never posted again.
 *
 * <p>Bounded: the oldest ids are forgotten past {@code capacity}. That is safe because an id only matters
 * until the offset of its record is committed, which happens within seconds; the capacity is there so a
 * long-lived task cannot grow without limit.
 */
public final class DeliveryLedger {

    private final int capacity;
    private final Map<String, Boolean> delivered;

    public DeliveryLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.delivered = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > DeliveryLedger.this.capacity;
            }
        };
    }

    public boolean isDelivered(String eventId) {
        return delivered.containsKey(eventId);
    }

    /** Records a delivery; returns false when the id was known already. */
    public boolean markDelivered(String eventId) {
        return delivered.put(eventId, Boolean.TRUE) == null;
    }

    public int size() {
        return delivered.size();
    }

    /**
     * The Idempotency-Key header: a hash of the event id, so it is header-safe whatever characters the
     * alert id has, and the same for every attempt and every task.
     */
    public static String idempotencyKey(String eventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The event id as a header value: printable ASCII as it is, anything else percent-encoded. */
    public static String headerValue(String eventId) {
        StringBuilder out = new StringBuilder();
        for (byte b : eventId.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
