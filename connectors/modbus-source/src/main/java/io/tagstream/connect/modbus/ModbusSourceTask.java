package io.tagstream.connect.modbus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.addressmap.ModbusConnection;
import io.tagstream.addressmap.TagDefinition;
import io.tagstream.connect.modbus.core.RequestPlanner;
import io.tagstream.connect.modbus.core.Sample;
import io.tagstream.connect.reading.ReadingRecord;
import io.tagstream.connect.reading.ReadingRecord.Quality;

/**
 * Polls the device connections the connector assigned to this task, one thread per connection, so a
 * device that times out never delays the others. Samples wait in a bounded queue that {@link #poll()}
 * drains; when Kafka is slower than the devices the pollers wait (and later samples carry their own,
 * later poll time) rather than the heap filling.
 */
public class ModbusSourceTask extends SourceTask {

    static final String TASK_ID = "modbus.task.id";
    private static final Logger LOG = LoggerFactory.getLogger(ModbusSourceTask.class);
    /** At least this many samples may wait; more when the task has more tags (one poll round of all of them). */
    private static final int MIN_QUEUE_CAPACITY = 1_024;
    private static final int MAX_BATCH = 20_000;

    private final List<DevicePoller> pollers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ModbusTaskMetrics metrics = new ModbusTaskMetrics();
    private BlockingQueue<Sample> queue;
    private String topic;
    private String source;
    private volatile boolean running;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        ModbusSourceConfig config = new ModbusSourceConfig(props);
        topic = config.topic();
        source = config.getString(ModbusSourceConfig.TASK_SOURCE);
        Set<String> mine = new HashSet<>(Arrays.asList(config.getString(ModbusSourceConfig.TASK_CONNECTIONS).split(",")));
        // about one round of this task's tags: enough to absorb a burst, small enough that a slow Kafka
        // shows up as skipped poll periods rather than seconds of stale samples waiting here
        int taskTags = 0;
        for (Map.Entry<ModbusConnection, List<TagDefinition>> entry : config.addressMap().byConnection().entrySet()) {
            taskTags += mine.contains(entry.getKey().uri()) ? entry.getValue().size() : 0;
        }
        queue = new ArrayBlockingQueue<>(Math.max(MIN_QUEUE_CAPACITY, taskTags));
        running = true;
        metrics.register(source, props.getOrDefault(TASK_ID, "0"));
        RequestPlanner planner = config.planner();
        DevicePoller.Settings settings = new DevicePoller.Settings(
                config.getInt(ModbusSourceConfig.REQUEST_TIMEOUT_MS),
                config.getInt(ModbusSourceConfig.REQUEST_RETRIES),
                config.getInt(ModbusSourceConfig.REQUEST_PAUSE_MS),
                config.getBoolean(ModbusSourceConfig.CLOSE_AFTER_POLL),
                config.getLong(ModbusSourceConfig.RECONNECT_BACKOFF_INITIAL_MS),
                config.getLong(ModbusSourceConfig.RECONNECT_BACKOFF_MAX_MS));
        for (Map.Entry<ModbusConnection, List<TagDefinition>> entry : config.addressMap().byConnection().entrySet()) {
            if (!mine.contains(entry.getKey().uri())) {
                continue;
            }
            DevicePoller poller = new DevicePoller(entry.getKey(), entry.getValue(), planner, settings, metrics, this::enqueue);
            pollers.add(poller);
            Thread thread = new Thread(poller, "modbus-" + source + "-" + entry.getKey().host() + ":" + entry.getKey().port());
            thread.setDaemon(true);
            threads.add(thread);
            LOG.info("Modbus source {}: polling {} tags on {} with {} requests", source, entry.getValue().size(),
                    entry.getKey().uri(), poller.requestCount());
        }
        threads.forEach(Thread::start);
    }

    private void enqueue(List<Sample> samples) {
        for (Sample sample : samples) {
            try {
                while (running && !queue.offer(sample, 200, TimeUnit.MILLISECONDS)) {
                    // Kafka is behind; wait for poll() to make room
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Sample first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<Sample> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        List<SourceRecord> records = new ArrayList<>(batch.size());
        for (Sample sample : batch) {
            TagDefinition tag = sample.tag();
            records.add(new SourceRecord(
                    Map.of("connection", tag.connection().uri()),
                    Map.of(),
                    topic, null,
                    Schema.STRING_SCHEMA, tag.key(),
                    ReadingRecord.SCHEMA,
                    ReadingRecord.measured(Instant.ofEpochMilli(sample.tsMillis()), tag.site(), tag.line(), tag.device(),
                            tag.tag(), sample.value(), tag.unit(), sample.good() ? Quality.GOOD : Quality.BAD, source),
                    sample.tsMillis()));
        }
        return records;
    }

    @Override
    public void stop() {
        running = false;
        pollers.forEach(DevicePoller::close);
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        metrics.unregister();
    }

    ModbusTaskMetrics metrics() {
        return metrics;
    }
}
