package io.tagstream.connect.modbus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.util.BitVector;

import io.tagstream.addressmap.ModbusConnection;
import io.tagstream.addressmap.TagDefinition;
import io.tagstream.connect.modbus.core.Backoff;
import io.tagstream.connect.modbus.core.ReadRequest;
import io.tagstream.connect.modbus.core.RegisterDecoder;
import io.tagstream.connect.modbus.core.RequestPlanner;
import io.tagstream.connect.modbus.core.Sample;

/**
 * Polls the tags of one device connection on its own thread: each group of tags with the same period is
 * read with the planned requests when due. A failed request gives BAD samples for its tags; a lost
 * connection gives BAD samples for every due tag until a reconnection, attempted with bounded
 * exponential backoff, succeeds. Nothing here ends the thread but {@link #close()}.
 */
final class DevicePoller implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevicePoller.class);

    /** The tags of one period and the requests that read them. */
    private static final class Schedule {
        final long periodMs;
        final List<ReadRequest> requests;
        long nextDueMs;

        Schedule(long periodMs, List<ReadRequest> requests, long firstDueMs) {
            this.periodMs = periodMs;
            this.requests = requests;
            this.nextDueMs = firstDueMs;
        }
    }

    private final ModbusConnection connection;
    private final List<Schedule> schedules = new ArrayList<>();
    private final Settings settings;
    private final Backoff backoff;
    private final ModbusTaskMetrics metrics;
    private final Consumer<List<Sample>> sink;

    private ModbusTCPMaster master;
    private boolean connected;
    private long reconnectAtMs;
    private volatile boolean running = true;
    private volatile Thread thread;

    record Settings(int timeoutMs, int retries, int pauseMs, boolean closeAfterPoll, long backoffInitialMs,
            long backoffMaxMs) {
    }

    DevicePoller(ModbusConnection connection, List<TagDefinition> tags, RequestPlanner planner, Settings settings,
            ModbusTaskMetrics metrics, Consumer<List<Sample>> sink) {
        this.connection = connection;
        this.settings = settings;
        this.backoff = new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs());
        this.metrics = metrics;
        this.sink = sink;
        Map<Integer, List<TagDefinition>> byPeriod = new TreeMap<>();
        for (TagDefinition tag : tags) {
            byPeriod.computeIfAbsent(tag.periodMs(), p -> new ArrayList<>()).add(tag);
        }
        long now = System.currentTimeMillis();
        byPeriod.forEach((period, group) -> schedules.add(new Schedule(period, planner.plan(group), now)));
    }

    ModbusConnection connection() {
        return connection;
    }

    int requestCount() {
        return schedules.stream().mapToInt(s -> s.requests.size()).sum();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (running) {
                long now = System.currentTimeMillis();
                long next = Long.MAX_VALUE;
                for (Schedule schedule : schedules) {
                    next = Math.min(next, schedule.nextDueMs);
                }
                if (next > now) {
                    Thread.sleep(Math.min(next - now, 1000));
                    continue;
                }
                pollDue(now);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            disconnect();
        }
    }

    /** Reads every schedule due at {@code now}; visible for tests that drive the poller without a thread. */
    void pollDue(long now) throws InterruptedException {
        List<ReadRequest> due = new ArrayList<>();
        for (Schedule schedule : schedules) {
            if (schedule.nextDueMs <= now) {
                due.addAll(schedule.requests);
                // keep the grid; after a stall skip the missed slots instead of bursting
                schedule.nextDueMs += schedule.periodMs;
                if (schedule.nextDueMs <= now) {
                    schedule.nextDueMs = now + schedule.periodMs;
                }
            }
        }
        if (due.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        if (!connected && now >= reconnectAtMs) {
            connect();
        }
        for (int i = 0; i < due.size(); i++) {
            ReadRequest request = due.get(i);
            if (!connected) {
                badAll(request, System.currentTimeMillis(), samples);
                continue;
            }
            if (i > 0 && settings.pauseMs() > 0) {
                Thread.sleep(settings.pauseMs());
            }
            read(request, samples);
        }
        if (settings.closeAfterPoll() && connected) {
            disconnect();
        }
        metrics.poll(System.nanoTime() - started);
        int good = 0;
        for (Sample sample : samples) {
            good += sample.good() ? 1 : 0;
        }
        metrics.readings(good, samples.size() - good);
        sink.accept(samples);
    }

    private void read(ReadRequest request, List<Sample> out) {
        long ts = System.currentTimeMillis();
        metrics.request();
        try {
            switch (request.kind()) {
                case HOLDING_REGISTER, INPUT_REGISTER -> {
                    InputRegister[] registers = request.kind() == io.tagstream.addressmap.RegisterKind.HOLDING_REGISTER
                            ? master.readMultipleRegisters(request.unitId(), request.start(), request.count())
                            : master.readInputRegisters(request.unitId(), request.start(), request.count());
                    if (registers.length < request.count()) {
                        throw new ModbusException("short response: " + registers.length + " of " + request.count() + " registers");
                    }
                    int[] words = new int[registers.length];
                    for (int i = 0; i < words.length; i++) {
                        words[i] = registers[i].toUnsignedShort();
                    }
                    for (TagDefinition tag : request.tags()) {
                        double raw = RegisterDecoder.decode(tag.type(), tag.wordOrder(), words, request.indexOf(tag), tag.address().bit());
                        out.add(Sample.good(tag, ts, RegisterDecoder.engineering(raw, tag.scale(), tag.offset())));
                    }
                }
                case COIL, DISCRETE_INPUT -> {
                    BitVector bits = request.kind() == io.tagstream.addressmap.RegisterKind.COIL
                            ? master.readCoils(request.unitId(), request.start(), request.count())
                            : master.readInputDiscretes(request.unitId(), request.start(), request.count());
                    if (bits.size() < request.count()) {
                        throw new ModbusException("short response: " + bits.size() + " of " + request.count() + " bits");
                    }
                    for (TagDefinition tag : request.tags()) {
                        double raw = RegisterDecoder.decodeBit(bits.getBit(request.indexOf(tag)));
                        out.add(Sample.good(tag, ts, RegisterDecoder.engineering(raw, tag.scale(), tag.offset())));
                    }
                }
            }
            backoff.succeed();
        } catch (ModbusSlaveException refused) {
            // the device answered with an exception code (e.g. illegal address): the link is fine
            metrics.error();
            LOG.warn("Modbus device {} refused {}: {}", connection.uri(), request, refused.getMessage());
            badAll(request, ts, out);
        } catch (ModbusException | RuntimeException failed) {
            // timeout or broken link: the stream may be out of step, so start over on a new connection
            metrics.error();
            LOG.warn("Modbus request {} to {} failed: {}; reconnecting", request, connection.uri(), failed.getMessage());
            badAll(request, ts, out);
            disconnect();
            scheduleReconnect(System.currentTimeMillis());
        }
    }

    private void connect() {
        boolean retry = backoff.failures() > 0;
        if (retry) {
            metrics.reconnect();
        }
        ModbusTCPMaster candidate = new ModbusTCPMaster(connection.host(), connection.port(), settings.timeoutMs(), false);
        candidate.setRetries(settings.retries());
        candidate.setCheckingValidity(true);
        try {
            candidate.connect();
            master = candidate;
            connected = true;
            metrics.connected(true);
            if (retry) {
                LOG.info("Modbus device {} reconnected after {} failed attempts", connection.uri(), backoff.failures());
            }
            backoff.succeed();
        } catch (Exception e) {
            candidate.disconnect();
            metrics.error();
            long delay = scheduleReconnect(System.currentTimeMillis());
            // first failure at WARN, the repeats quieter: a device that is down stays down for a while
            if (backoff.failures() == 1) {
                LOG.warn("Modbus device {} unreachable: {}; retrying with backoff up to {} ms", connection.uri(), e.toString(),
                        settings.backoffMaxMs());
            } else {
                LOG.debug("Modbus device {} still unreachable ({}), next attempt in {} ms", connection.uri(), e.toString(), delay);
            }
        }
    }

    private long scheduleReconnect(long now) {
        long delay = backoff.fail();
        reconnectAtMs = now + delay;
        return delay;
    }

    private void disconnect() {
        if (master != null) {
            master.disconnect();
            master = null;
        }
        if (connected) {
            connected = false;
            metrics.connected(false);
        }
    }

    private static void badAll(ReadRequest request, long ts, List<Sample> out) {
        for (TagDefinition tag : request.tags()) {
            out.add(Sample.bad(tag, ts));
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
