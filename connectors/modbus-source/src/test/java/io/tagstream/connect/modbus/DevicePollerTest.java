package io.tagstream.connect.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.addressmap.ModbusConnection;
import io.tagstream.addressmap.TagDefinition;
import io.tagstream.connect.modbus.core.RequestPlanner;
import io.tagstream.connect.modbus.core.Sample;

/** The poller against j2mod's in-JVM TCP slave: values, an exception response, a lost and a returning device. */
class DevicePollerTest {

    private ModbusSlave slave;
    private final List<List<Sample>> polls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopSlave() {
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void startSlave(int port) throws Exception {
        SimpleProcessImage image = new SimpleProcessImage(1);
        int[] words = {0x4120, 0x0000, 0xFF9C, 0x000A, 0x1234};  // 10.0f, -100, bits 1 and 3, 0x1234
        for (int w : words) {
            image.addRegister(new SimpleRegister(w));
        }
        image.addDigitalOut(new SimpleDigitalOut(false));
        image.addDigitalOut(new SimpleDigitalOut(true));
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    private DevicePoller poller(int port, String rows) throws Exception {
        return poller(port, rows, new DevicePoller.Settings(300, 0, 0, false, 50, 200), new ModbusTaskMetrics());
    }

    private DevicePoller poller(int port, String rows, DevicePoller.Settings settings, ModbusTaskMetrics metrics) throws Exception {
        AddressMap map = AddressMap.parse(ModbusSourceConnectorTest.HEADER + rows.replace("PORT", Integer.toString(port)));
        ModbusConnection connection = map.byConnection().keySet().iterator().next();
        return new DevicePoller(connection, map.tags(), new RequestPlanner(125, 2000, 10),
                settings, metrics, polls::add);
    }

    private static final String ROWS = ""
            + "A1,L1,PLC,F,modbus,tcp://127.0.0.1:PORT,1,40001,FLOAT32,0.5,1,1000,bar,,\n"
            + "A1,L1,PLC,I,modbus,tcp://127.0.0.1:PORT,1,40003,INT16,1,0,1000,,,\n"
            + "A1,L1,PLC,B1,modbus,tcp://127.0.0.1:PORT,1,40004.1,BOOL,1,0,1000,,,\n"
            + "A1,L1,PLC,B2,modbus,tcp://127.0.0.1:PORT,1,40004.2,BOOL,1,0,1000,,,\n"
            + "A1,L1,PLC,C,modbus,tcp://127.0.0.1:PORT,1,00002,BOOL,1,0,1000,,,\n";

    private static String values(List<Sample> samples) {
        List<String> out = new ArrayList<>();
        for (Sample s : samples) {
            out.add(s.tag().tag() + "=" + (s.good() ? s.value() : "BAD"));
        }
        return String.join(" ", out);
    }

    @Test
    void readsDecodedValuesThenBadWhileDownThenGoodAgain() throws Exception {
        int port = freePort();
        startSlave(port);
        DevicePoller poller = poller(port, ROWS);
        assertThat(poller.requestCount()).isEqualTo(2);  // registers 0..3 in one request, the coil in another

        long t = System.currentTimeMillis();
        poller.pollDue(t);
        assertThat(values(polls.get(0))).isEqualTo("F=6.0 I=-100.0 B1=1.0 B2=0.0 C=1.0");
        assertThat(polls.get(0)).allSatisfy(s -> assertThat(s.tsMillis()).isGreaterThanOrEqualTo(t));

        ModbusSlaveFactory.close(slave);
        slave = null;
        poller.pollDue(t + 1000);
        assertThat(values(polls.get(1))).isEqualTo("F=BAD I=BAD B1=BAD B2=BAD C=BAD");
        poller.pollDue(t + 2000);
        assertThat(values(polls.get(2))).isEqualTo("F=BAD I=BAD B1=BAD B2=BAD C=BAD");

        startSlave(port);
        // the backoff (<= 200 ms here) has passed by the next period
        Thread.sleep(250);
        poller.pollDue(System.currentTimeMillis() + 3000);
        assertThat(values(polls.get(3))).isEqualTo("F=6.0 I=-100.0 B1=1.0 B2=0.0 C=1.0");
        poller.close();
    }

    @Test
    void anExceptionResponseMakesOnlyItsTagsBad() throws Exception {
        int port = freePort();
        startSlave(port);
        // register 40100 does not exist in the slave: illegal data address for that request only
        DevicePoller poller = poller(port, ROWS + "A1,L1,PLC,MISSING,modbus,tcp://127.0.0.1:PORT,1,40100,INT16,1,0,1000,,,\n");
        poller.pollDue(System.currentTimeMillis());
        assertThat(values(polls.get(0))).isEqualTo("F=6.0 I=-100.0 B1=1.0 B2=0.0 MISSING=BAD C=1.0");
        poller.close();
    }

    @Test
    void anUnreachableDeviceGivesBadReadingsAtOnce() throws Exception {
        DevicePoller poller = poller(freePort(), ROWS);
        long started = System.nanoTime();
        poller.pollDue(System.currentTimeMillis());
        assertThat(values(polls.get(0))).isEqualTo("F=BAD I=BAD B1=BAD B2=BAD C=BAD");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
        poller.close();
    }

    @Test
    void fragileDeviceOptionsStillReadEveryTagAndTheMetricsCount() throws Exception {
        int port = freePort();
        startSlave(port);
        ModbusTaskMetrics metrics = new ModbusTaskMetrics();
        // a new connection per poll and 50 ms between the two requests
        DevicePoller poller = poller(port, ROWS, new DevicePoller.Settings(300, 0, 50, true, 50, 200), metrics);
        long started = System.nanoTime();
        poller.pollDue(System.currentTimeMillis());
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(50);
        assertThat(metrics.getConnectedDevices()).isZero();
        poller.pollDue(System.currentTimeMillis() + 1000);
        assertThat(values(polls.get(1))).isEqualTo("F=6.0 I=-100.0 B1=1.0 B2=0.0 C=1.0");
        assertThat(metrics.getRequests()).isEqualTo(4);
        assertThat(metrics.getErrors()).isZero();
        assertThat(metrics.getGoodReadings()).isEqualTo(10);

        ModbusSlaveFactory.close(slave);
        slave = null;
        poller.pollDue(System.currentTimeMillis() + 2000);
        assertThat(metrics.getBadReadings()).isEqualTo(5);
        assertThat(metrics.getErrors()).isEqualTo(1);
        poller.close();
    }
}
