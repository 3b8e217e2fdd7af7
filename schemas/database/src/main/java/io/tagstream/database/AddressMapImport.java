package io.tagstream.database;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.addressmap.AddressMapException;

/**
 * Imports an address-map CSV into the operational schema, after validating all of it:
 * {@code AddressMapImport <file.csv> [--dry-run]} with TAGSTREAM_DB_URL, TAGSTREAM_DB_USER and
 * TAGSTREAM_DB_PASSWORD in the environment. {@code --dry-run} prints what would change and changes
 * nothing; otherwise the whole import is one transaction. Changes reach the platform through CDC.
 */
public final class AddressMapImport {

    private AddressMapImport() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> files = args.stream().filter(a -> !a.startsWith("--")).toList();
        boolean dryRun = args.contains("--dry-run");
        List<String> unknown = args.stream().filter(a -> a.startsWith("--") && !a.equals("--dry-run")).toList();
        if (files.size() != 1 || !unknown.isEmpty()) {
            err.println("usage: import-address-map <address-map.csv> [--dry-run]");
            return 2;
        }
        // absolute, so a relative name typed in another directory than meant is visible in the message
        Path file;
        try {
            file = Path.of(files.get(0)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            err.println("error: not a file name: " + e.getMessage());
            return 2;
        }
        String unreadable = unreadable(file);
        if (unreadable != null) {
            err.println("error: " + unreadable);
            err.println("nothing was changed");
            return 2;
        }
        AddressMap map;
        try {
            map = AddressMap.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e);
            err.println("nothing was changed");
            return 2;
        } catch (AddressMapException e) {
            err.println("error: " + file + ": " + e.getMessage());
            err.println("nothing was changed");
            return 2;
        }
        String url = env.get("TAGSTREAM_DB_URL");
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            err.println("error: TAGSTREAM_DB_URL=" + url + ": expected jdbc:postgresql://host:port/database");
            return 2;
        }
        try (Connection db = DriverManager.getConnection(url, env.get("TAGSTREAM_DB_USER"), env.get("TAGSTREAM_DB_PASSWORD"))) {
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                // two imports at once would plan against each other's half-applied state
                lock.execute("LOCK TABLE ops.sites, ops.devices, ops.tags IN SHARE ROW EXCLUSIVE MODE");
            }
            AddressMapImportPlan plan = AddressMapImportPlan.of(map, sites(db), devices(db), tags(db));
            plan.changes().forEach(out::println);
            String summary = String.format("%d tags in %s: %d to add, %d to change, %d to remove; %d new sites, %d new devices",
                    map.tags().size(), file.getFileName(), plan.count(AddressMapImportPlan.Kind.ADD_TAG),
                    plan.count(AddressMapImportPlan.Kind.CHANGE_TAG), plan.count(AddressMapImportPlan.Kind.REMOVE_TAG),
                    plan.count(AddressMapImportPlan.Kind.ADD_SITE), plan.count(AddressMapImportPlan.Kind.ADD_DEVICE));
            if (dryRun) {
                db.rollback();
                out.println(summary);
                out.println("dry run: nothing was changed");
                return 0;
            }
            apply(db, plan, map);
            db.commit();
            out.println(summary);
            out.println(plan.isEmpty() ? "already up to date" : "applied");
            return 0;
        } catch (SQLException e) {
            err.println("error: import failed, nothing was changed: " + e.getMessage());
            return 1;
        }
    }

    /** Why the file cannot be read as an address map, or null; checked first so the message is plain. */
    static String unreadable(Path file) {
        if (!Files.exists(file)) {
            return "no such file: " + file;
        }
        if (Files.isDirectory(file)) {
            return file + " is a directory; give the address-map CSV file";
        }
        if (!Files.isRegularFile(file)) {
            return file + " is not a regular file; give the address-map CSV file";
        }
        if (!Files.isReadable(file)) {
            return "cannot read " + file + ": permission denied";
        }
        return null;
    }

    private static void apply(Connection db, AddressMapImportPlan plan, AddressMap map) throws SQLException {
        for (AddressMapImportPlan.Change change : plan.changes()) {
            switch (change.kind()) {
                case ADD_SITE -> update(db, "INSERT INTO ops.sites (site, name) VALUES (?, ?)", change.key(), change.key());
                case ADD_DEVICE, CHANGE_DEVICE -> {
                    String[] parts = change.key().split("/", 2);
                    String line = map.tags().stream().filter(t -> t.site().equals(parts[0]) && t.device().equals(parts[1]))
                            .findFirst().orElseThrow().line();
                    update(db, "INSERT INTO ops.devices (site, device, line) VALUES (?, ?, ?) "
                            + "ON CONFLICT (site, device) DO UPDATE SET line = EXCLUDED.line", parts[0], parts[1], line);
                }
                case ADD_TAG, CHANGE_TAG -> upsertTag(db, change.row());
                case REMOVE_TAG -> update(db, "DELETE FROM ops.tags WHERE site = ? AND device = ? AND tag = ?",
                        change.row().site(), change.row().device(), change.row().tag());
            }
        }
    }

    private static void upsertTag(Connection db, TagRow row) throws SQLException {
        Map<String, Object> columns = row.columns();
        List<String> names = new ArrayList<>(List.of("site", "device", "tag"));
        columns.keySet().forEach(c -> names.add("\"" + c + "\""));
        String placeholders = String.join(", ", names.stream().map(n -> "?").toList());
        String updates = String.join(", ", columns.keySet().stream().map(c -> "\"" + c + "\" = EXCLUDED.\"" + c + "\"").toList());
        List<Object> values = new ArrayList<>(List.of(row.site(), row.device(), row.tag()));
        values.addAll(columns.values());
        update(db, "INSERT INTO ops.tags (" + String.join(", ", names) + ") VALUES (" + placeholders + ") "
                + "ON CONFLICT (site, device, tag) DO UPDATE SET " + updates, values.toArray());
    }

    private static void update(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    statement.setNull(i + 1, Types.NULL);
                } else {
                    statement.setObject(i + 1, values[i]);
                }
            }
            statement.executeUpdate();
        }
    }

    private static Set<String> sites(Connection db) throws SQLException {
        Set<String> sites = new HashSet<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT site FROM ops.sites")) {
            while (rs.next()) {
                sites.add(rs.getString(1));
            }
        }
        return sites;
    }

    private static List<AddressMapImportPlan.DeviceRow> devices(Connection db) throws SQLException {
        List<AddressMapImportPlan.DeviceRow> devices = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT site, device, line FROM ops.devices")) {
            while (rs.next()) {
                devices.add(new AddressMapImportPlan.DeviceRow(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return devices;
    }

    private static List<TagRow> tags(Connection db) throws SQLException {
        List<TagRow> tags = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT t.site, d.line, t.device, t.tag, protocol, conn, unit_id, address, type, scale, \"offset\", period_ms, unit, "
                        + "hi, lo, word_order, deadband, deadband_mode FROM ops.tags t JOIN ops.devices d USING (site, device)")) {
            while (rs.next()) {
                tags.add(new TagRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getDouble(10), rs.getDouble(11),
                        rs.getInt(12), rs.getString(13), (Double) rs.getObject(14), (Double) rs.getObject(15), rs.getString(16),
                        (Double) rs.getObject(17), rs.getString(18)));
            }
        }
        return tags;
    }
}
