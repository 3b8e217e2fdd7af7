package io.tagstream.connect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

import io.tagstream.simulator.weather.AsosObservations;
import io.tagstream.simulator.weather.WeatherApiSimulator;

/**
 * The task against the weather API simulator, outside Connect: a fake offset store stands in for the
 * worker's. Faults are injected; the offsets the records carry are "committed" after every poll, as the
 * exactly-once worker does.
 */
class HttpSourceTaskTest {

    private static final Instant NOW = Instant.parse("2026-11-03T05:20:00Z");

    private final Map<Map<String, Object>, Map<String, Object>> committed = new HashMap<>();

    private SourceTaskContext context() {
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return Map.of();
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return committed.get((Map<String, Object>) partition);
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                        Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
                        for (Map<String, T> partition : partitions) {
                            result.put(partition, committed.get((Map<String, Object>) partition));
                        }
                        return result;
                    }
                };
            }
        };
    }

    private Map<String, String> props(WeatherApiSimulator simulator) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "kma-unit");
        props.put("preset", "kma-asos-hourly");
        props.put("api.base.url", simulator.baseUrl());
        props.put("streams", "108,112");
        props.put("site", "KR");
        props.put("auth.secret", "key/with+chars=");
        props.put("start.time", "2026-11-01T00:00");
        props.put("page.size", "10");
        props.put("retry.backoff.ms", "1");
        props.put("error.retry.ms", "1");
        props.put("availability.lag.ms", "0");
        return props;
    }

    /** Polls until both streams are caught up (or the budget runs out), committing offsets after each poll. */
    private List<SourceRecord> drain(HttpSourceTask task, int maxBatches, int maxPolls) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        int idle = 0;
        int batches = 0;
        for (int i = 0; i < maxPolls && idle < 20 && batches < maxBatches; i++) {
            List<SourceRecord> records = task.poll();
            if (records == null) {
                idle++;
                continue;
            }
            idle = 0;
            batches++;
            all.addAll(records);
            for (SourceRecord record : records) {
                @SuppressWarnings("unchecked")
                Map<String, Object> partition = (Map<String, Object>) record.sourcePartition();
                @SuppressWarnings("unchecked")
                Map<String, Object> offset = (Map<String, Object>) record.sourceOffset();
                committed.put(partition, offset);
            }
        }
        return all;
    }

    @Test
    void backfillsWithFaultsRestartsAndNeverDuplicatesOrSkipsAnHour() throws Exception {
        SteppingClock clock = new SteppingClock(NOW);
        try (WeatherApiSimulator simulator = new WeatherApiSimulator(0, "key/with+chars=", Set.of("108", "112"), 7,
                Duration.ZERO, clock)) {
            simulator.inject(WeatherApiSimulator.Fault.SERVER_ERROR);
            simulator.inject(WeatherApiSimulator.Fault.TRUNCATED_JSON);
            simulator.inject(WeatherApiSimulator.Fault.HTML_MAINTENANCE);
            simulator.inject(WeatherApiSimulator.Fault.XML_ERROR);
            simulator.inject(WeatherApiSimulator.Fault.RESULT_CODE_ERROR);

            HttpSourceTask first = new HttpSourceTask(clock, clock::advance);
            first.initialize(context());
            first.start(props(simulator));
            List<SourceRecord> before = drain(first, 3, 200);
            first.stop();
            assertThat(before).as("some pages before the restart").isNotEmpty();

            HttpSourceTask second = new HttpSourceTask(clock, clock::advance);
            second.initialize(context());
            second.start(props(simulator));
            List<SourceRecord> after = drain(second, Integer.MAX_VALUE, 2000);
            Instant caughtUpAt = clock.instant();

            // live: the next hour appears upstream; the caught-up task fetches exactly that hour, once
            clock.advance(Duration.ofHours(1).toMillis());
            List<SourceRecord> live = drain(second, Integer.MAX_VALUE, 2000);
            second.stop();
            Instant nextHour = caughtUpAt.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            assertThat(live).hasSize(2 * 10).allSatisfy(record -> assertThat(record.timestamp()).isEqualTo(nextHour.toEpochMilli()));

            List<SourceRecord> all = new ArrayList<>(before);
            all.addAll(after);
            // 2026-10-31T15Z (00:00 KST) .. 2026-11-03T05Z: 63 hours x 2 stations x 10 tags
            Set<String> seen = new HashSet<>();
            for (SourceRecord record : all) {
                Struct value = (Struct) record.value();
                assertThat(seen.add(record.key() + "@" + record.timestamp())).as("duplicate %s", record.key()).isTrue();
                Instant ts = ((java.util.Date) value.get("ts")).toInstant();
                assertThat(ts.toEpochMilli()).isEqualTo(record.timestamp());
                String element = tagToElement(value.getString("tag"));
                String expected = AsosObservations.row(value.getString("device"), ts).get(element);
                if (expected.isEmpty()) {
                    assertThat(value.get("value")).isNull();
                    assertThat(value.get("quality")).isEqualTo("BAD");
                } else {
                    assertThat(value.getFloat64("value")).isEqualTo(Double.parseDouble(expected));
                    assertThat(value.get("quality")).isEqualTo("GOOD");
                }
                assertThat(value.get("source")).isEqualTo("kma-unit");
                assertThat(record.key()).isEqualTo("KR/" + value.get("device") + "/" + value.get("tag"));
            }
            assertThat(all).hasSize(63 * 2 * 10);
            Instant firstHour = Instant.parse("2026-10-31T15:00:00Z");
            for (String station : List.of("108", "112")) {
                for (Instant h = firstHour; !h.isAfter(NOW.truncatedTo(ChronoUnit.HOURS)); h = h.plus(Duration.ofHours(1))) {
                    assertThat(seen).contains("KR/" + station + "/air_temp@" + h.toEpochMilli());
                }
            }
            assertThat(simulator.log()).anyMatch(line -> line.startsWith("TOO_MANY_REQUESTS"))
                    .anyMatch(line -> line.startsWith("TRUNCATED_JSON")).anyMatch(line -> line.startsWith("XML_ERROR"));
            assertThat(committed).hasSize(2).allSatisfy((partition, offset) ->
                    assertThat(offset).isEqualTo(Map.of("done", nextHour.toEpochMilli())));
        }
    }

    /** Time moves 50 ms per reading and by every wait of the task, so backoffs pass without the test sleeping. */
    private static final class SteppingClock extends Clock {
        private Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plusMillis(50);
            return now;
        }

        synchronized void advance(long ms) {
            now = now.plusMillis(ms);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static String tagToElement(String tag) {
        for (String spec : io.tagstream.connect.http.core.KmaAsosPreset.TAGS) {
            String[] parts = spec.split(":");
            if (parts[1].equals(tag)) {
                return parts[0];
            }
        }
        throw new AssertionError(tag);
    }
}
