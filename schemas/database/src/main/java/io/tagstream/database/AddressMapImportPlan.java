package io.tagstream.database;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.addressmap.TagDefinition;

/**
 * What importing an address map into ops changes. The file is the whole truth for the sites it names:
 * their tags not in the file are removed; other sites are left alone. Sites and devices the file needs
 * are added; a device's line follows the file.
 */
final class AddressMapImportPlan {

    enum Kind { ADD_SITE, ADD_DEVICE, CHANGE_DEVICE, ADD_TAG, CHANGE_TAG, REMOVE_TAG }

    record Change(Kind kind, String key, String detail, TagRow row) {
        @Override
        public String toString() {
            String sign = switch (kind) {
                case ADD_SITE, ADD_DEVICE, ADD_TAG -> "+";
                case CHANGE_DEVICE, CHANGE_TAG -> "~";
                case REMOVE_TAG -> "-";
            };
            String what = switch (kind) {
                case ADD_SITE -> "site";
                case ADD_DEVICE, CHANGE_DEVICE -> "device";
                default -> "tag";
            };
            return sign + " " + what + " " + key + (detail.isEmpty() ? "" : "  (" + detail + ")");
        }
    }

    /** A device as stored: its line is the only attribute the address map carries. */
    record DeviceRow(String site, String device, String line) {
    }

    private final List<Change> changes;

    private AddressMapImportPlan(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    static AddressMapImportPlan of(AddressMap map, Set<String> existingSites, Collection<DeviceRow> existingDevices,
                                   Collection<TagRow> existingTags) {
        List<Change> changes = new ArrayList<>();
        Set<String> sitesInFile = new LinkedHashSet<>();
        Map<String, DeviceRow> devicesInFile = new LinkedHashMap<>();
        Map<String, TagRow> tagsInFile = new LinkedHashMap<>();
        for (TagDefinition tag : map.tags()) {
            sitesInFile.add(tag.site());
            devicesInFile.putIfAbsent(tag.site() + "/" + tag.device(), new DeviceRow(tag.site(), tag.device(), tag.line()));
            TagRow row = TagRow.of(tag);
            tagsInFile.put(row.key(), row);
        }
        for (String site : sitesInFile) {
            if (!existingSites.contains(site)) {
                changes.add(new Change(Kind.ADD_SITE, site, "", null));
            }
        }
        Map<String, DeviceRow> devices = new LinkedHashMap<>();
        existingDevices.forEach(d -> devices.put(d.site() + "/" + d.device(), d));
        devicesInFile.forEach((key, device) -> {
            DeviceRow existing = devices.get(key);
            if (existing == null) {
                changes.add(new Change(Kind.ADD_DEVICE, key, device.line() == null ? "" : "line " + device.line(), null));
            } else if (!Objects.equals(existing.line(), device.line())) {
                changes.add(new Change(Kind.CHANGE_DEVICE, key, "line: " + existing.line() + " -> " + device.line(), null));
            }
        });
        Map<String, TagRow> tags = new LinkedHashMap<>();
        existingTags.forEach(t -> tags.put(t.key(), t));
        tagsInFile.forEach((key, row) -> {
            TagRow existing = tags.get(key);
            if (existing == null) {
                changes.add(new Change(Kind.ADD_TAG, key, row.type() + " at " + row.address(), row));
            } else {
                Map<String, String> differences = row.differencesFrom(existing);
                if (!differences.isEmpty()) {
                    changes.add(new Change(Kind.CHANGE_TAG, key, String.join(", ",
                            differences.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()), row));
                }
            }
        });
        tags.forEach((key, row) -> {
            if (sitesInFile.contains(row.site()) && !tagsInFile.containsKey(key)) {
                changes.add(new Change(Kind.REMOVE_TAG, key, "not in the file", row));
            }
        });
        return new AddressMapImportPlan(changes);
    }

    List<Change> changes() {
        return changes;
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    long count(Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }
}
