package io.tagstream.simulator.modbus;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import io.tagstream.addressmap.RegisterAddress;

/**
 * A Modbus TCP device on 127.0.0.1 (j2mod's slave, unit 1) whose registers follow a profile:
 * {@code ModbusSimulator --port 15020 --profile scripts/modbus-simulator/profiles/demo.csv [--update-ms 200]}.
 * Every table is sized to the highest address the profile uses; unused addresses read 0.
 */
public final class ModbusSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusSimulator.class);
    static final int UNIT_ID = 1;

    private final Profile profile;
    private final SimpleProcessImage image = new SimpleProcessImage(UNIT_ID);
    private final SimpleRegister[] holding;
    private final SimpleInputRegister[] input;
    private final SimpleDigitalOut[] coils;
    private final SimpleDigitalIn[] discretes;
    private final double[][] walks;
    private final Random random = new Random(42);
    private final long startNanos = System.nanoTime();
    private ModbusSlave slave;

    ModbusSimulator(Profile profile) {
        this.profile = profile;
        int hr = 0;
        int ir = 0;
        int co = 0;
        int di = 0;
        for (Profile.Signal s : profile.signals()) {
            int end = s.address().lastOffset(s.type()) + 1;
            switch (s.address().kind()) {
                case HOLDING_REGISTER -> hr = Math.max(hr, end);
                case INPUT_REGISTER -> ir = Math.max(ir, end);
                case COIL -> co = Math.max(co, end);
                case DISCRETE_INPUT -> di = Math.max(di, end);
            }
        }
        holding = new SimpleRegister[hr];
        input = new SimpleInputRegister[ir];
        coils = new SimpleDigitalOut[co];
        discretes = new SimpleDigitalIn[di];
        for (int i = 0; i < hr; i++) {
            image.addRegister(holding[i] = new SimpleRegister(0));
        }
        for (int i = 0; i < ir; i++) {
            image.addInputRegister(input[i] = new SimpleInputRegister(0));
        }
        for (int i = 0; i < co; i++) {
            image.addDigitalOut(coils[i] = new SimpleDigitalOut(false));
        }
        for (int i = 0; i < di; i++) {
            image.addDigitalIn(discretes[i] = new SimpleDigitalIn(false));
        }
        walks = new double[profile.signals().size()][1];
        for (int i = 0; i < walks.length; i++) {
            walks[i][0] = profile.signals().get(i).min();
        }
        update();
    }

    /** Writes every signal's current value into the process image. */
    void update() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        List<Profile.Signal> signals = profile.signals();
        for (int i = 0; i < signals.size(); i++) {
            Profile.Signal s = signals.get(i);
            double value = s.valueAt(seconds, walks[i], random);
            RegisterAddress a = s.address();
            switch (a.kind()) {
                case COIL -> coils[a.offset()].set(value != 0);
                case DISCRETE_INPUT -> discretes[a.offset()].set(value != 0);
                case HOLDING_REGISTER, INPUT_REGISTER -> {
                    if (a.bit() != null) {
                        int mask = 1 << a.bit();
                        int current = a.kind() == io.tagstream.addressmap.RegisterKind.HOLDING_REGISTER
                                ? holding[a.offset()].toUnsignedShort() : input[a.offset()].toUnsignedShort();
                        write(a.kind(), a.offset(), value != 0 ? current | mask : current & ~mask);
                    } else {
                        int[] words = RegisterEncoder.encode(s.type(), s.order(), value);
                        for (int w = 0; w < words.length; w++) {
                            write(a.kind(), a.offset() + w, words[w]);
                        }
                    }
                }
            }
        }
    }

    private void write(io.tagstream.addressmap.RegisterKind kind, int offset, int word) {
        if (kind == io.tagstream.addressmap.RegisterKind.HOLDING_REGISTER) {
            holding[offset].setValue(word);
        } else {
            input[offset].setValue(word);
        }
    }

    void open(int port) throws Exception {
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 8, false);
        slave.addProcessImage(UNIT_ID, image);
        slave.open();
    }

    @Override
    public void close() {
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = 15020;
        Path profileFile = null;
        long updateMs = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--profile" -> profileFile = Path.of(args[++i]);
                case "--update-ms" -> updateMs = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --port N --profile FILE [--update-ms N]");
            }
        }
        if (profileFile == null) {
            throw new IllegalArgumentException("--profile FILE is required");
        }
        Profile profile = Profile.read(profileFile);
        ModbusSimulator simulator = new ModbusSimulator(profile);
        simulator.open(port);
        LOG.info("Modbus simulator on 127.0.0.1:{} (unit {}), {} signals from {}, updated every {} ms", port, UNIT_ID,
                profile.signals().size(), profileFile, updateMs);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            simulator.close();
        }));
        while (!stop.await(updateMs, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            simulator.update();
        }
    }
}
