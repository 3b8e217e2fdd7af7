package io.tagstream.connect.modbus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagstream.addressmap.DataType;
import io.tagstream.addressmap.ModbusConnection;
import io.tagstream.addressmap.RegisterAddress;
import io.tagstream.addressmap.RegisterKind;
import io.tagstream.addressmap.TagDefinition;
import io.tagstream.addressmap.WordOrder;

class RequestPlannerTest {

    private static final ModbusConnection CONN = new ModbusConnection("127.0.0.1", 5020);

    static TagDefinition tag(String name, int unit, String address, DataType type) {
        return new TagDefinition(2, "S", null, "D", name, "modbus", CONN, unit, RegisterAddress.parse(address), type,
                1, 0, 1000, null, null, null, WordOrder.ABCD, null, null);
    }

    private static String shape(List<ReadRequest> plan) {
        List<String> out = new ArrayList<>();
        for (ReadRequest r : plan) {
            out.add("u" + r.unitId() + ":fc" + r.function() + ":" + r.start() + "+" + r.count());
        }
        return String.join(" ", out);
    }

    @Test
    void contiguousRegistersBecomeOneRequest() {
        List<ReadRequest> plan = new RequestPlanner(125, 2000, 0).plan(List.of(
                tag("c", 1, "40005", DataType.FLOAT32),
                tag("a", 1, "40001", DataType.INT16),
                tag("b", 1, "40002", DataType.INT64),
                tag("d", 1, "40007", DataType.UINT16)));
        assertThat(shape(plan)).isEqualTo("u1:fc3:0+7");
        ReadRequest only = plan.get(0);
        assertThat(only.tags()).extracting(TagDefinition::tag).containsExactly("a", "b", "c", "d");
        assertThat(only.indexOf(only.tags().get(2))).isEqualTo(4);
    }

    @Test
    void gapsWithinTheLimitAreReadThroughLargerOnesSplit() {
        List<TagDefinition> tags = List.of(
                tag("a", 1, "40001", DataType.INT16),
                tag("b", 1, "40012", DataType.INT16),   // 10 unused registers in between
                tag("c", 1, "40024", DataType.INT16));  // 11 unused registers in between
        assertThat(shape(new RequestPlanner(125, 2000, 10).plan(tags))).isEqualTo("u1:fc3:0+12 u1:fc3:23+1");
        assertThat(shape(new RequestPlanner(125, 2000, 0).plan(tags))).isEqualTo("u1:fc3:0+1 u1:fc3:11+1 u1:fc3:23+1");
        assertThat(shape(new RequestPlanner(125, 2000, 11).plan(tags))).isEqualTo("u1:fc3:0+24");
    }

    @Test
    void splitsAtTheMaximumWithoutCuttingAValue() {
        List<TagDefinition> tags = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            tags.add(tag("t" + i, 1, "hr:" + i, DataType.UINT16));
        }
        assertThat(shape(new RequestPlanner(125, 2000, 0).plan(tags))).isEqualTo("u1:fc3:0+125 u1:fc3:125+125 u1:fc3:250+50");

        // a FLOAT32 at 9..10 does not fit a 10-register request that starts at 0
        List<TagDefinition> floats = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            floats.add(tag("f" + i, 1, "hr:" + (i * 2 + 1), DataType.FLOAT32));
        }
        floats.add(tag("first", 1, "hr:0", DataType.INT16));
        assertThat(shape(new RequestPlanner(10, 2000, 0).plan(floats))).isEqualTo("u1:fc3:0+9 u1:fc3:9+4");
    }

    @Test
    void unitIdsAndTablesAreNeverMixed() {
        List<ReadRequest> plan = new RequestPlanner(125, 2000, 10).plan(List.of(
                tag("hr1", 1, "40001", DataType.INT16),
                tag("hr2", 2, "40002", DataType.INT16),
                tag("ir", 1, "30002", DataType.INT16),
                tag("coil", 1, "00003", DataType.BOOL),
                tag("di", 1, "10004", DataType.BOOL)));
        assertThat(shape(plan)).isEqualTo("u1:fc3:0+1 u2:fc3:1+1 u1:fc4:1+1 u1:fc1:2+1 u1:fc2:3+1");
    }

    @Test
    void coilsAndDiscreteInputsMergeUpToTheBitLimit() {
        List<TagDefinition> coils = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            coils.add(tag("c" + i, 1, "coil:" + (i * 2), DataType.BOOL));
        }
        assertThat(shape(new RequestPlanner(125, 2000, 1).plan(coils))).isEqualTo("u1:fc1:0+99");
        assertThat(shape(new RequestPlanner(125, 40, 1).plan(coils))).isEqualTo("u1:fc1:0+39 u1:fc1:40+39 u1:fc1:80+19");
        assertThat(shape(new RequestPlanner(125, 2000, 0).plan(coils.subList(0, 3)))).isEqualTo("u1:fc1:0+1 u1:fc1:2+1 u1:fc1:4+1");
    }

    @Test
    void bitsOfOneRegisterShareIt() {
        List<ReadRequest> plan = new RequestPlanner(125, 2000, 0).plan(List.of(
                tag("b0", 1, "40010.0", DataType.BOOL),
                tag("b7", 1, "40010.7", DataType.BOOL),
                tag("next", 1, "40011", DataType.INT16)));
        assertThat(shape(plan)).isEqualTo("u1:fc3:9+2");
        assertThat(plan.get(0).tags()).hasSize(3);
    }

    @Test
    void limitsOutsideTheProtocolAreRefused() {
        assertThatThrownBy(() -> new RequestPlanner(126, 2000, 0)).hasMessageContaining("4..125");
        assertThatThrownBy(() -> new RequestPlanner(3, 2000, 0)).hasMessageContaining("4..125");
        assertThatThrownBy(() -> new RequestPlanner(125, 2001, 0)).hasMessageContaining("1..2000");
        assertThatThrownBy(() -> new RequestPlanner(125, 2000, -1)).hasMessageContaining(">= 0");
    }
}
