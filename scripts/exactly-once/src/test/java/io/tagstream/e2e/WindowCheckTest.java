package io.tagstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which windows must be final, and that a missing, doubled or wrong aggregate is caught. */
class WindowCheckTest {

    // one tag, samples at 600..749: the minute at 600 is final (660 + 30 <= 749), the one at 660 is not
    private final PlantHistory history = new PlantHistory("E2E-w", 1, 1, 600, 150);

    @Test
    void onlyWindowsFinalByTheTagsClockAreExpected() {
        assertThat(new WindowCheck(history, 60, 30).expectedWindows()).isEqualTo(1);
        assertThat(new WindowCheck(history, 60, 0).expectedWindows()).isEqualTo(2);
        assertThat(new WindowCheck(history, 3600, 30).expectedWindows()).isZero();
        assertThat(new WindowCheck(new PlantHistory("E2E-w", 1, 1, 3000, 1200), 3600, 30).expectedWindows())
                .as("the hour 0..3600 ends at 3600 and the clock reaches 4199").isEqualTo(1);
    }

    @Test
    void theRightAggregatePassesAndEveryDeviationFails() {
        List<Double> values = new ArrayList<>();
        for (long s = 600; s < 660; s++) {
            values.add(PlantHistory.value(0, 0, s));
        }
        double sum = values.stream().mapToDouble(Double::doubleValue).sum();
        double avg = sum / 60;
        double stddev = Math.sqrt(values.stream().mapToDouble(v -> (v - avg) * (v - avg)).sum() / 60);
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();

        WindowCheck check = new WindowCheck(history, 60, 30);
        assertThat(check.missing()).isEqualTo(1);
        check.add("D000", "T0", 600_000, 660_000, 60, 0, 0, min, max, sum, avg, values.get(0), values.get(59), stddev, avg);
        assertThat(check.exact()).as(check.summary()).isTrue();

        check.add("D000", "T0", 600_000, 660_000, 60, 0, 0, min, max, sum, avg, values.get(0), values.get(59), stddev, avg);
        assertThat(check.duplicates).isEqualTo(1);

        WindowCheck wrong = new WindowCheck(history, 60, 30);
        wrong.add("D000", "T0", 600_000, 660_000, 60, 0, 0, min, max, sum, avg + 0.01, values.get(0), values.get(59), stddev, avg);
        assertThat(wrong.mismatches).isEqualTo(1);
        wrong.add("D000", "T0", 660_000, 720_000, 30, 0, 0, min, max, sum, avg, values.get(0), values.get(59), stddev, avg);
        assertThat(wrong.unexpected).as("an open window must not have been emitted").isEqualTo(1);
        assertThat(wrong.exact()).isFalse();
    }
}
