package io.tagstream.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.StackDatabase;
import io.tagstream.testkit.TestIds;

/** The import CLI against the real operational schema. */
class AddressMapImportIT {

    private static final String HEADER = "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo,deadband\n";
    private static StackEndpoints stack;
    private static StackDatabase database;

    @BeforeAll
    static void stack() {
        stack = SharedStack.get();
        database = new StackDatabase(stack);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path file, String... flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(file.toString()));
        args.addAll(List.of(flags));
        int exit = AddressMapImport.run(args, Map.of("TAGSTREAM_DB_URL", stack.jdbcUrl(),
                        "TAGSTREAM_DB_USER", stack.postgresSuperuser(), "TAGSTREAM_DB_PASSWORD", stack.postgresPassword()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> tags(String site) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection db = database.as("viewer");
             PreparedStatement ps = db.prepareStatement("SELECT device, tag, address, type, hi, deadband FROM ops.tags WHERE site = ? ORDER BY tag")) {
            ps.setString(1, site);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) {
                rows.add(rs.getString(1) + "/" + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " hi=" + rs.getObject(5)
                        + " deadband=" + rs.getObject(6));
            }
        }
        return rows;
    }

    @Test
    void dryRunChangesNothingThenImportAppliesAndAgainIsUpToDate(@TempDir Path dir) throws Exception {
        String site = "IMP" + TestIds.next().substring(0, 6).toUpperCase();
        Path file = dir.resolve("map.csv");
        Files.writeString(file, HEADER
                + site + ",LINE1,PUMP01,PRESS,modbus,tcp://127.0.0.1:1502,1,40001,FLOAT32,0.1,0,1000,bar,10,0,0.05\n"
                + site + ",LINE1,PUMP01,TEMP,modbus,tcp://127.0.0.1:1502,1,ir:4,INT16,1,0,1000,degC,120,-20,\n");

        Run dry = run(file, "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("+ site " + site, "+ tag " + site + "/PUMP01/PRESS", "dry run: nothing was changed");
        assertThat(tags(site)).isEmpty();

        Run applied = run(file);
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(tags(site)).containsExactly(
                "PUMP01/PRESS 40001 FLOAT32 hi=10.0 deadband=0.05",
                "PUMP01/TEMP 30005 INT16 hi=120.0 deadband=null");

        Run again = run(file);
        assertThat(again.out()).contains("already up to date");

        Files.writeString(file, HEADER
                + site + ",LINE1,PUMP01,PRESS,modbus,tcp://127.0.0.1:1502,1,40001,FLOAT32,0.1,0,1000,bar,12,0,0.05\n");
        Run changed = run(file);
        assertThat(changed.out()).contains("~ tag " + site + "/PUMP01/PRESS  (hi: 10.0 -> 12.0)", "- tag " + site + "/PUMP01/TEMP");
        assertThat(tags(site)).containsExactly("PUMP01/PRESS 40001 FLOAT32 hi=12.0 deadband=0.05");
    }

    @Test
    void anInvalidMapChangesNothingAndSaysWhere(@TempDir Path dir) throws Exception {
        String site = "BAD" + TestIds.next().substring(0, 6).toUpperCase();
        Path file = dir.resolve("map.csv");
        Files.writeString(file, HEADER
                + site + ",LINE1,PUMP01,PRESS,modbus,tcp://127.0.0.1:1502,1,40001,FLOAT32,0.1,0,1000,bar,10,0,\n"
                + site + ",LINE1,PUMP01,TEMP,modbus,tcp://127.0.0.1:1502,1,40002,INT16,1,0,1000,degC,120,-20,\n"
                + site + ",LINE1,PUMP01,FLOW,modbus,tcp://127.0.0.1:1502,1,40031,INT16,1,0,50,m3/h,,,\n");
        Run run = run(file);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("line 3, column address, value '40002'", "line 4, column period_ms, value '50'",
                "nothing was changed");
        assertThat(tags(site)).isEmpty();
    }
}
