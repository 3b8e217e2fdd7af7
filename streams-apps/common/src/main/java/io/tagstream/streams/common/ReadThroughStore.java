package io.tagstream.streams.common;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's key-value store with the deserialized values of recently used keys kept in memory, so the hot
 * path does not decode the same state on every record. Every put still goes to the store (and so to its
 * changelog). One instance per processor, created in {@code init}: when Kafka Streams re-initializes a task
 * after an aborted transaction, the store is restored and this cache starts empty again.
 */
public final class ReadThroughStore<V> {

    private final KeyValueStore<String, V> store;
    private final Map<String, V> recent;

    public ReadThroughStore(KeyValueStore<String, V> store, int maxEntries) {
        this.store = store;
        this.recent = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public V get(String key) {
        V value = recent.get(key);
        if (value == null) {
            value = store.get(key);
            if (value != null) {
                recent.put(key, value);
            }
        }
        return value;
    }

    public void put(String key, V value) {
        store.put(key, value);
        recent.put(key, value);
    }
}
