package io.tagstream.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tagstream.addressmap.AddressMap;

class AddressMapImportPlanTest {

    private static final String HEADER = "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo\n";
    private static final String PRESS = "A1,LINE1,PUMP01,PRESS,modbus,tcp://10.0.0.1:502,1,40001,FLOAT32,0.1,0,1000,bar,10,0\n";
    private static final String TEMP = "A1,LINE1,PUMP01,TEMP,modbus,tcp://10.0.0.1:502,1,40021,INT16,1,0,1000,degC,120,-20\n";

    private static AddressMap map(String rows) throws Exception {
        return AddressMap.parse(HEADER + rows);
    }

    @Test
    void everythingIsNewOnAnEmptyDatabase() throws Exception {
        AddressMapImportPlan plan = AddressMapImportPlan.of(map(PRESS + TEMP), Set.of(), List.of(), List.of());
        assertThat(plan.changes()).extracting(Object::toString).containsExactly(
                "+ site A1",
                "+ device A1/PUMP01  (line LINE1)",
                "+ tag A1/PUMP01/PRESS  (FLOAT32 at 40001)",
                "+ tag A1/PUMP01/TEMP  (INT16 at 40021)");
    }

    @Test
    void unchangedMapPlansNothing() throws Exception {
        AddressMap map = map(PRESS + TEMP);
        AddressMapImportPlan plan = AddressMapImportPlan.of(map, Set.of("A1"),
                List.of(new AddressMapImportPlan.DeviceRow("A1", "PUMP01", "LINE1")),
                map.tags().stream().map(TagRow::of).toList());
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void changesAndRemovalsAreNamedColumnByColumn() throws Exception {
        AddressMap before = map(PRESS + TEMP + "A2,L9,FAN01,SPEED,modbus,tcp://10.0.0.2:502,1,30001,UINT16,1,0,500,rpm,,\n");
        AddressMap after = map(PRESS.replace(",10,0\n", ",12,0\n").replace("LINE1", "LINE2"));
        AddressMapImportPlan plan = AddressMapImportPlan.of(after, Set.of("A1", "A2"),
                List.of(new AddressMapImportPlan.DeviceRow("A1", "PUMP01", "LINE1"), new AddressMapImportPlan.DeviceRow("A2", "FAN01", "L9")),
                before.tags().stream().map(TagRow::of).toList());
        assertThat(plan.changes()).extracting(Object::toString).containsExactly(
                "~ device A1/PUMP01  (line: LINE1 -> LINE2)",
                "~ tag A1/PUMP01/PRESS  (hi: 10.0 -> 12.0)",
                "- tag A1/PUMP01/TEMP  (not in the file)");
        // A2 is not in the file: its tags are not this import's business
    }

    @Test
    void addressesAreStoredInOneCanonicalForm() throws Exception {
        AddressMap explicit = map(PRESS.replace(",40001,", ",hr:0,"));
        AddressMap modicon = map(PRESS);
        AddressMapImportPlan plan = AddressMapImportPlan.of(explicit, Set.of("A1"),
                List.of(new AddressMapImportPlan.DeviceRow("A1", "PUMP01", "LINE1")),
                modicon.tags().stream().map(TagRow::of).toList());
        assertThat(plan.isEmpty()).as("hr:0 and 40001 are the same register").isTrue();
    }
}
