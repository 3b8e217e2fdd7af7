package io.tagstream.simulator.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;

import io.tagstream.addressmap.DataType;
import io.tagstream.addressmap.WordOrder;

class ModbusSimulatorTest {

    @Test
    void encodesInEveryWordOrder() {
        assertThat(RegisterEncoder.encode(DataType.INT32, WordOrder.ABCD, 0x01020304)).containsExactly(0x0102, 0x0304);
        assertThat(RegisterEncoder.encode(DataType.INT32, WordOrder.CDAB, 0x01020304)).containsExactly(0x0304, 0x0102);
        assertThat(RegisterEncoder.encode(DataType.INT32, WordOrder.BADC, 0x01020304)).containsExactly(0x0201, 0x0403);
        assertThat(RegisterEncoder.encode(DataType.INT32, WordOrder.DCBA, 0x01020304)).containsExactly(0x0403, 0x0201);
        assertThat(RegisterEncoder.encode(DataType.INT16, WordOrder.ABCD, -2)).containsExactly(0xFFFE);
        assertThat(RegisterEncoder.encode(DataType.FLOAT32, WordOrder.CDAB, 10.0)).containsExactly(0x0000, 0x4120);
        assertThat(RegisterEncoder.encode(DataType.FLOAT64, WordOrder.ABCD, -0.125)).containsExactly(0xBFC0, 0, 0, 0);
    }

    @Test
    void profileLinesAreCheckedWithTheirLineNumber() {
        assertThatThrownBy(() -> Profile.parse("40001,FLOAT32,ABCD,sine,0,1,10\n40002,INT99,,sine,0,1,10\n"))
                .hasMessageContaining("profile line 2");
        assertThatThrownBy(() -> Profile.parse("# nothing\n")).hasMessageContaining("no signals");
    }

    @Test
    void theDemoProfileServesValuesInRangeOverModbusTcp() throws Exception {
        Profile profile = Profile.read(Path.of("profiles/demo.csv"));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (ModbusSimulator simulator = new ModbusSimulator(profile)) {
            simulator.open(port);
            ModbusTCPMaster master = new ModbusTCPMaster("127.0.0.1", port, 1000, false);
            master.connect();
            try {
                InputRegister[] regs = master.readMultipleRegisters(1, 0, 9);
                float press = Float.intBitsToFloat(regs[0].toUnsignedShort() << 16 | regs[1].toUnsignedShort());
                assertThat(press).isBetween(40f, 80f);
                assertThat((short) regs[2].toUnsignedShort()).isBetween((short) 180, (short) 650);
                assertThat(regs[3].toUnsignedShort()).isBetween(1400, 1600);
                assertThat(master.readInputDiscretes(1, 0, 1).getBit(0)).isTrue();
            } finally {
                master.disconnect();
            }
        }
    }
}
