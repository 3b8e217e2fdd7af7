package io.tagstream.addressmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class AddressMapTest {

    private static final String HEADER = "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo";

    private static String map(String... rows) {
        return HEADER + "\n" + String.join("\n", rows) + "\n";
    }

    private static List<AddressMapException.Problem> problems(String csv) {
        try {
            AddressMap.parse(csv);
        } catch (AddressMapException e) {
            return e.problems();
        }
        throw new AssertionError("expected the map to be refused");
    }

    @Test
    void parsesTheArchitectureExample() throws Exception {
        AddressMap map = AddressMap.parse(map(
                "A1,LINE1,PUMP01,PRESS,modbus,tcp://192.168.0.10:502,1,40001,FLOAT32,0.1,0,1000,bar,10,0",
                "A1,LINE1,PUMP01,TEMP,modbus,tcp://192.168.0.10:502,1,40021,INT16,1,0,1000,degC,120,-20"));
        assertThat(map.tags()).hasSize(2);
        TagDefinition press = map.find("A1", "PUMP01", "PRESS").orElseThrow();
        assertThat(press.key()).isEqualTo("A1/PUMP01/PRESS");
        assertThat(press.csvLine()).isEqualTo(2);
        assertThat(press.address()).isEqualTo(new RegisterAddress(RegisterKind.HOLDING_REGISTER, 0, null));
        assertThat(press.type()).isEqualTo(DataType.FLOAT32);
        assertThat(press.connection()).isEqualTo(new ModbusConnection("192.168.0.10", 502));
        assertThat(press.engineeringValue(42)).isEqualTo(4.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(press.wordOrder()).isEqualTo(WordOrder.ABCD);
        assertThat(press.span()).isEqualTo(10.0);
        assertThat(press.deadband()).isNull();
        assertThat(map.find("A1", "PUMP01", "TEMP").orElseThrow().address().offset()).isEqualTo(20);
        assertThat(map.byConnection()).containsOnlyKeys(new ModbusConnection("192.168.0.10", 502));
    }

    @Test
    void optionalColumnsInAnyOrder() throws Exception {
        AddressMap map = AddressMap.parse("deadband_mode,tag,site,line,device,protocol,conn,unit_id,address,type,scale,"
                + "offset,period_ms,unit,hi,lo,word_order,deadband\n"
                + "percent_span,FLOW,A1,,M1,modbus,tcp://h:1502,3,hr:10,uint32,1,0,500,m3/h,100,0,cdab,2.5\n");
        TagDefinition flow = map.tags().get(0);
        assertThat(flow.line()).isNull();
        assertThat(flow.wordOrder()).isEqualTo(WordOrder.CDAB);
        assertThat(flow.deadband()).isEqualTo(2.5);
        assertThat(flow.deadbandMode()).isEqualTo(DeadbandMode.PERCENT_SPAN);
        assertThat(flow.address()).isEqualTo(new RegisterAddress(RegisterKind.HOLDING_REGISTER, 10, null));
        assertThat(flow.connection().port()).isEqualTo(1502);
    }

    @Test
    void addressForms() {
        assertThat(RegisterAddress.parse("40001")).isEqualTo(new RegisterAddress(RegisterKind.HOLDING_REGISTER, 0, null));
        assertThat(RegisterAddress.parse("400001")).isEqualTo(new RegisterAddress(RegisterKind.HOLDING_REGISTER, 0, null));
        assertThat(RegisterAddress.parse("465536")).isEqualTo(new RegisterAddress(RegisterKind.HOLDING_REGISTER, 65535, null));
        assertThat(RegisterAddress.parse("30010")).isEqualTo(new RegisterAddress(RegisterKind.INPUT_REGISTER, 9, null));
        assertThat(RegisterAddress.parse("10001")).isEqualTo(new RegisterAddress(RegisterKind.DISCRETE_INPUT, 0, null));
        assertThat(RegisterAddress.parse("00005")).isEqualTo(new RegisterAddress(RegisterKind.COIL, 4, null));
        assertThat(RegisterAddress.parse("40001.3")).isEqualTo(new RegisterAddress(RegisterKind.HOLDING_REGISTER, 0, 3));
        assertThat(RegisterAddress.parse("ir:7.15")).isEqualTo(new RegisterAddress(RegisterKind.INPUT_REGISTER, 7, 15));
        assertThat(RegisterAddress.parse("coil:0")).isEqualTo(new RegisterAddress(RegisterKind.COIL, 0, null));
        assertThat(RegisterAddress.parse("DI:12")).isEqualTo(new RegisterAddress(RegisterKind.DISCRETE_INPUT, 12, null));
        assertThat(RegisterAddress.parse("40001.3").toString()).isEqualTo("40001.3");

        assertThatThrownBy(() -> RegisterAddress.parse("40000")).hasMessageContaining("1-based");
        assertThatThrownBy(() -> RegisterAddress.parse("20001")).hasMessageContaining("0, 1, 3 or 4");
        assertThatThrownBy(() -> RegisterAddress.parse("40001.16")).hasMessageContaining("bit 16");
        assertThatThrownBy(() -> RegisterAddress.parse("10001.2")).hasMessageContaining("bit");
        assertThatThrownBy(() -> RegisterAddress.parse("hr:70000")).hasMessageContaining("70000");
        assertThatThrownBy(() -> RegisterAddress.parse("holding 1")).hasMessageContaining("expected");
    }

    @Test
    void everyProblemIsReportedWithLineColumnAndValue() {
        List<AddressMapException.Problem> problems = problems(map(
                "A1,L1,P1,PRESS,modbus,tcp://10.0.0.1:502,1,40001,FLOAT32,1,0,1000,bar,10,0",
                "A1,L1,P1,PRESS,modbus,tcp://10.0.0.1:502,1,40011,INT16,1,0,1000,bar,10,0",
                "A1,L1,P1,TEMP,modbus,tcp://10.0.0.1:502,1,40002,INT16,1,0,1000,degC,,",
                "A1,L1,P1,LEVEL,modbus,tcp://10.0.0.1:502,1,40031,REAL,1,0,1000,m,,",
                "A1,L1,P1,FLOW,modbus,tcp://10.0.0.1:502,1,40041,INT16,1,0,100,m3/h,,",
                "A1,L1,P1,SPEED,modbus,tcp//10.0.0.1,1,40051,INT16,1,0,1000,rpm,,",
                "A1,L1,P1,CURRENT,modbus,tcp://10.0.0.1:502,1,40061,INT16,1,0,1000,A,5,10"));
        assertThat(problems).extracting(AddressMapException.Problem::toString).containsExactly(
                "line 3, column tag, value 'A1/P1/PRESS': duplicate (site, device, tag); first defined on line 2",
                "line 4, column address, value '40002': overlaps A1/P1/PRESS at 40001 (FLOAT32, line 2)",
                "line 5, column type, value 'REAL': unknown; expected one of [BOOL, INT16, UINT16, INT32, UINT32, INT64, UINT64, FLOAT32, FLOAT64]",
                "line 6, column period_ms, value '100': must be at least 200 ms",
                "line 7, column conn, value 'tcp//10.0.0.1': expected tcp://host:port",
                "line 8, column hi, value '5': must be greater than lo (10)");
    }

    @Test
    void bitsOfOneRegisterDoNotOverlapButAWholeRegisterDoes() throws Exception {
        AddressMap ok = AddressMap.parse(map(
                "A1,L1,P1,RUN,modbus,tcp://h:502,1,40001.0,BOOL,1,0,1000,,,",
                "A1,L1,P1,FAULT,modbus,tcp://h:502,1,40001.1,BOOL,1,0,1000,,,",
                "A1,L1,P1,OTHER_TABLE,modbus,tcp://h:502,1,30001,INT16,1,0,1000,,,",
                "A1,L1,P2,SAME_ADDRESS_OTHER_DEVICE,modbus,tcp://h:502,2,40001,INT16,1,0,1000,,,"));
        assertThat(ok.tags()).hasSize(4);

        assertThat(problems(map(
                "A1,L1,P1,RUN,modbus,tcp://h:502,1,40001.0,BOOL,1,0,1000,,,",
                "A1,L1,P1,WORD,modbus,tcp://h:502,1,40001,INT16,1,0,1000,,,",
                "A1,L1,P1,SAMEBIT,modbus,tcp://h:502,1,40001.0,BOOL,1,0,1000,,,")))
                .extracting(AddressMapException.Problem::line).containsExactly(3, 4, 4); // SAMEBIT overlaps RUN and WORD
    }

    @Test
    void sixtyFourBitValuesOccupyFourRegisters() {
        assertThat(problems(map(
                "A1,L1,P1,ENERGY,modbus,tcp://h:502,1,40001,UINT64,1,0,1000,kWh,,",
                "A1,L1,P1,NEXT,modbus,tcp://h:502,1,40004,INT16,1,0,1000,,,")))
                .extracting(AddressMapException.Problem::column).containsExactly("address");
    }

    @Test
    void typeMustFitTheTable() {
        assertThat(problems(map(
                "A1,L1,P1,A,modbus,tcp://h:502,1,00001,INT16,1,0,1000,,,",
                "A1,L1,P1,B,modbus,tcp://h:502,1,40001,BOOL,1,0,1000,,,",
                "A1,L1,P1,C,modbus,tcp://h:502,1,40002.1,INT16,1,0,1000,,,",
                "A1,L1,P1,D,modbus,tcp://h:502,1,40003,INT16,1,0,1000,,,",
                "A1,L1,P1,E,modbus,tcp://h:502,1,465536,FLOAT32,1,0,1000,,,")))
                .extracting(p -> p.line() + ":" + p.column()).containsExactly("2:type", "3:address", "4:type", "6:address");
    }

    @Test
    void valuesAreChecked() {
        assertThat(problems(map(
                "A1,L1,P1,A,opcua,tcp://h:502,1,40001,INT16,1,0,1000,,,",
                "A1,L1,P1,B,modbus,tcp://h:502,300,40002,INT16,1,0,1000,,,",
                "A1,L1,P1,C,modbus,tcp://h:502,1,40003,INT16,0,0,1000,,,",
                "A1,L1,P1,D,modbus,tcp://h:502,1,40004,INT16,NaN,0,1000,,,",
                "A1,L1,P1,E,modbus,tcp://h:502,1,40005,INT16,1,x,1000,,,",
                "A1,L1,P1/X,F,modbus,tcp://h:502,1,40006,INT16,1,0,1000,,,",
                ",L1,P1,G,modbus,tcp://h:99999,1,40007,INT16,1,0,1000,,,")))
                .extracting(p -> p.line() + ":" + p.column()).containsExactly(
                        "2:protocol", "3:unit_id", "4:scale", "5:scale", "6:offset", "7:device", "8:site", "8:conn");
    }

    @Test
    void deadbandSettings() throws Exception {
        String header = HEADER + ",deadband,deadband_mode\n";
        TagDefinition absoluteByDefault = AddressMap.parse(header
                + "A1,L1,P1,A,modbus,tcp://h:502,1,40001,INT16,1,0,1000,,,,0.5,\n").tags().get(0);
        assertThat(absoluteByDefault.deadbandMode()).isEqualTo(DeadbandMode.ABSOLUTE);

        String bad = header
                + "A1,L1,P1,A,modbus,tcp://h:502,1,40001,INT16,1,0,1000,,,,,percent_value\n"
                + "A1,L1,P1,B,modbus,tcp://h:502,1,40002,INT16,1,0,1000,,,,1,percent_span\n"
                + "A1,L1,P1,C,modbus,tcp://h:502,1,40003,INT16,1,0,1000,,,,-1,\n"
                + "A1,L1,P1,D,modbus,tcp://h:502,1,40004,INT16,1,0,1000,,,,1,sometimes\n";
        assertThat(problems(bad)).extracting(p -> p.line() + ":" + p.column())
                .containsExactly("2:deadband_mode", "3:deadband_mode", "4:deadband", "5:deadband_mode");
    }

    @Test
    void headerProblems() {
        assertThat(problems("site,device,tag\nA,B,C\n")).extracting(AddressMapException.Problem::column)
                .contains("protocol", "conn", "address");
        assertThat(problems(HEADER + ",deadbnd\n")).extracting(AddressMapException.Problem::toString)
                .containsExactly("line 1, column deadbnd: unknown column (optional columns: word_order, deadband, deadband_mode)");
        assertThat(problems(HEADER + "\n")).extracting(AddressMapException.Problem::message)
                .containsExactly("the address map has no tags");
        assertThat(problems(map("A1,L1,P1,A,modbus,tcp://h:502,1,40001,INT16,1,0,1000")))
                .extracting(AddressMapException.Problem::message).containsExactly("expected 15 fields, found 12");
    }

    @Test
    void wordOrderOnlyForMultiRegisterTypes() {
        String csv = HEADER + ",word_order\nA1,L1,P1,A,modbus,tcp://h:502,1,40001,INT16,1,0,1000,,,,DCBA\n";
        assertThat(problems(csv)).extracting(AddressMapException.Problem::column).containsExactly("word_order");
    }

    @Test
    void messageListsEveryProblem() {
        assertThatThrownBy(() -> AddressMap.parse(map(
                "A1,L1,P1,A,modbus,tcp://h:502,1,40001,INT16,1,0,100,,,",
                "A1,L1,P1,B,modbus,tcp://h:502,1,40002,INT99,1,0,1000,,,")))
                .isInstanceOf(AddressMapException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("line 2, column period_ms, value '100'")
                .hasMessageContaining("line 3, column type, value 'INT99'");
    }
}
