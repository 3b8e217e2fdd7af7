package io.tagstream.connect.modbus.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tagstream.addressmap.RegisterKind;
import io.tagstream.addressmap.TagDefinition;

/**
 * Plans the fewest read requests that cover a set of tags: tags of the same unit id and table are sorted
 * by address and merged into one request while the request stays within the device's limit and the hole
 * between two tags is at most {@code maxGap} entries (reading a few unused registers is cheaper than a
 * second round trip; some devices reject reads of unmapped registers, hence a gap of 0 for them).
 */
public final class RequestPlanner {

    /** Protocol limits: 125 registers (function 3/4) and 2000 bits (function 1/2) per read. */
    public static final int PROTOCOL_MAX_REGISTERS = 125;
    public static final int PROTOCOL_MAX_BITS = 2000;

    private final int maxRegisters;
    private final int maxBits;
    private final int maxGap;

    public RequestPlanner(int maxRegisters, int maxBits, int maxGap) {
        if (maxRegisters < 4 || maxRegisters > PROTOCOL_MAX_REGISTERS) {
            // 4 = the widest value (64-bit) must fit in one request
            throw new IllegalArgumentException("max registers per request must be 4.." + PROTOCOL_MAX_REGISTERS + ", was " + maxRegisters);
        }
        if (maxBits < 1 || maxBits > PROTOCOL_MAX_BITS) {
            throw new IllegalArgumentException("max bits per request must be 1.." + PROTOCOL_MAX_BITS + ", was " + maxBits);
        }
        if (maxGap < 0) {
            throw new IllegalArgumentException("max gap must be >= 0, was " + maxGap);
        }
        this.maxRegisters = maxRegisters;
        this.maxBits = maxBits;
        this.maxGap = maxGap;
    }

    public List<ReadRequest> plan(List<TagDefinition> tags) {
        Map<String, List<TagDefinition>> groups = new LinkedHashMap<>();
        for (TagDefinition tag : tags) {
            groups.computeIfAbsent(tag.unitId() + "/" + tag.address().kind(), g -> new ArrayList<>()).add(tag);
        }
        List<ReadRequest> requests = new ArrayList<>();
        for (List<TagDefinition> group : groups.values()) {
            List<TagDefinition> sorted = new ArrayList<>(group);
            sorted.sort(Comparator.comparingInt((TagDefinition t) -> t.address().offset())
                    .thenComparingInt(t -> t.address().lastOffset(t.type())));
            RegisterKind kind = sorted.get(0).address().kind();
            int unitId = sorted.get(0).unitId();
            int limit = kind.isBitTable() ? maxBits : maxRegisters;

            List<TagDefinition> current = new ArrayList<>();
            int start = -1;
            int end = -1;
            for (TagDefinition tag : sorted) {
                int first = tag.address().offset();
                int last = tag.address().lastOffset(tag.type());
                boolean fits = !current.isEmpty()
                        && first - end - 1 <= maxGap
                        && Math.max(end, last) - start + 1 <= limit;
                if (!fits && !current.isEmpty()) {
                    requests.add(new ReadRequest(kind, unitId, start, end - start + 1, current));
                    current = new ArrayList<>();
                }
                if (current.isEmpty()) {
                    start = first;
                    end = last;
                }
                current.add(tag);
                end = Math.max(end, last);
            }
            requests.add(new ReadRequest(kind, unitId, start, end - start + 1, current));
        }
        return requests;
    }
}
