package io.tagstream.connect.modbus.core;

import java.util.List;

import io.tagstream.addressmap.RegisterKind;
import io.tagstream.addressmap.TagDefinition;

/**
 * One Modbus read: a table (hence a function code), a unit id, a 0-based start address and a count of
 * registers or bits, plus the tags whose values the response holds.
 */
public record ReadRequest(RegisterKind kind, int unitId, int start, int count, List<TagDefinition> tags) {

    public ReadRequest {
        tags = List.copyOf(tags);
    }

    /** Modbus function code: 1 coils, 2 discrete inputs, 3 holding registers, 4 input registers. */
    public int function() {
        return kind.readFunction();
    }

    /** Position of a tag's first register (or bit) in this request's response. */
    public int indexOf(TagDefinition tag) {
        return tag.address().offset() - start;
    }

    @Override
    public String toString() {
        return "unit " + unitId + " fc" + function() + " " + start + "+" + count + " (" + tags.size() + " tags)";
    }
}
