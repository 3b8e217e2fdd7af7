package io.tagstream.addressmap;

import java.util.List;
import java.util.stream.Collectors;

/** An address map that must not run, with every problem found (not just the first). */
public final class AddressMapException extends Exception {

    /** One problem: the CSV line (1 = header), the column, the offending value and what is wrong. */
    public record Problem(int line, String column, String value, String message) {
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("line ").append(line);
            if (column != null) {
                out.append(", column ").append(column);
            }
            if (value != null) {
                out.append(", value '").append(value).append('\'');
            }
            return out.append(": ").append(message).toString();
        }
    }

    private final List<Problem> problems;

    public AddressMapException(List<Problem> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the address map:\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
