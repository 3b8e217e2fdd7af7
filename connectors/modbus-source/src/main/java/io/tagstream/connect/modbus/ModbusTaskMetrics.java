package io.tagstream.connect.modbus;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's counters, exposed over JMX as
 * {@code io.tagstream.connect.modbus:type=modbus-source-task-metrics,connector=NAME,task=N}.
 * Updated from the device threads, read from JMX: all fields are atomic.
 */
public final class ModbusTaskMetrics implements ModbusTaskMetricsMBean {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusTaskMetrics.class);
    private static final long RATE_WINDOW_MS = 5_000;

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder goodReadings = new LongAdder();
    private final LongAdder badReadings = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private final LongAdder pollNanos = new LongAdder();
    private final AtomicLong maxPollNanos = new AtomicLong();
    private final AtomicLong lastPollNanos = new AtomicLong();
    private final AtomicLong connectedDevices = new AtomicLong();

    // tags-read rate over the last complete window
    private final Object rateLock = new Object();
    private long windowStartMs = System.currentTimeMillis();
    private long windowStartCount;
    private volatile double tagReadsPerSecond;

    private ObjectName name;

    void register(String connector, String task) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName candidate = new ObjectName("io.tagstream.connect.modbus:type=modbus-source-task-metrics,connector="
                    + ObjectName.quote(connector) + ",task=" + ObjectName.quote(task));
            if (server.isRegistered(candidate)) {
                server.unregisterMBean(candidate);
            }
            server.registerMBean(this, candidate);
            name = candidate;
        } catch (JMException e) {
            // metrics are an aid, never a reason to stop polling
            LOG.warn("Modbus task metrics not registered over JMX: {}", e.toString());
        }
    }

    void unregister() {
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException ignored) {
                // already gone
            }
            name = null;
        }
    }

    void request() {
        requests.increment();
    }

    void error() {
        errors.increment();
    }

    void reconnect() {
        reconnects.increment();
    }

    void connected(boolean up) {
        connectedDevices.addAndGet(up ? 1 : -1);
    }

    void readings(int good, int bad) {
        goodReadings.add(good);
        badReadings.add(bad);
        updateRate();
    }

    void poll(long nanos) {
        polls.increment();
        pollNanos.add(nanos);
        lastPollNanos.set(nanos);
        maxPollNanos.accumulateAndGet(nanos, Math::max);
    }

    private void updateRate() {
        long now = System.currentTimeMillis();
        synchronized (rateLock) {
            if (now - windowStartMs >= RATE_WINDOW_MS) {
                long count = goodReadings.sum();
                tagReadsPerSecond = (count - windowStartCount) * 1000.0 / (now - windowStartMs);
                windowStartMs = now;
                windowStartCount = count;
            }
        }
    }

    @Override
    public long getRequests() {
        return requests.sum();
    }

    @Override
    public long getErrors() {
        return errors.sum();
    }

    @Override
    public long getReconnects() {
        return reconnects.sum();
    }

    @Override
    public long getConnectedDevices() {
        return connectedDevices.get();
    }

    @Override
    public long getGoodReadings() {
        return goodReadings.sum();
    }

    @Override
    public long getBadReadings() {
        return badReadings.sum();
    }

    @Override
    public double getTagReadsPerSecond() {
        return tagReadsPerSecond;
    }

    @Override
    public double getPollLatencyAvgMs() {
        long n = polls.sum();
        return n == 0 ? 0 : pollNanos.sum() / 1e6 / n;
    }

    @Override
    public double getPollLatencyMaxMs() {
        return maxPollNanos.get() / 1e6;
    }

    @Override
    public double getPollLatencyLastMs() {
        return lastPollNanos.get() / 1e6;
    }
}
