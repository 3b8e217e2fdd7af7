package io.tagstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The check itself must be able to fail: missing, duplicated, wrong and foreign samples are all seen. */
class TallyTest {

    private final PlantHistory history = new PlantHistory("E2E-x", 3, 2, 1_000, 50);

    @Test
    void consecutiveSamplesOfATagAlwaysDifferSoAZeroDeadbandPassesThemAll() {
        for (int d = 0; d < 3; d++) {
            for (int t = 0; t < 2; t++) {
                for (long s = 0; s < 100_000; s++) {
                    assertThat(PlantHistory.value(d, t, s + 1)).isNotEqualTo(PlantHistory.value(d, t, s));
                }
            }
        }
        assertThat(PlantHistory.text(0, 0, 1)).isEqualTo("0.37");
    }

    @Test
    void aCompleteExactHistoryPasses() {
        Tally tally = complete();
        assertThat(tally.exact()).as(tally.summary()).isTrue();
        assertThat(tally.distinct()).isEqualTo(300);
        assertThat(tally.firstMissing()).isEqualTo("none");
    }

    @Test
    void aMissingSampleIsNamed() {
        Tally tally = new Tally(history);
        forEachSample((d, t, s) -> {
            if (!(d == 2 && t == 1 && s == 1_020)) {
                tally.add(PlantHistory.device(d), PlantHistory.tag(t), s * 1000, PlantHistory.value(d, t, s), "GOOD", "MEASURED");
            }
        });
        assertThat(tally.exact()).isFalse();
        assertThat(tally.missing()).isEqualTo(1);
        assertThat(tally.firstMissing()).isEqualTo("D002/T1 at 1020");
    }

    @Test
    void duplicatesWrongValuesForeignAndImputedSamplesFail() {
        Tally tally = complete();
        tally.add("D000", "T0", 1_000_000, PlantHistory.value(0, 0, 1_000), "GOOD", "MEASURED");
        assertThat(tally.duplicates).isEqualTo(1);
        tally.add("D000", "T1", 1_001_000, 1.0, "GOOD", "MEASURED");
        assertThat(tally.mismatches).isEqualTo(1);
        tally.add("D000", "T0", 1_050_000, 1.0, "GOOD", "MEASURED");
        tally.add("D009", "T0", 1_000_000, 1.0, "GOOD", "MEASURED");
        tally.add("D000", "T0", 1_000_500, 1.0, "GOOD", "MEASURED");
        assertThat(tally.unexpected).isEqualTo(3);
        tally.add("D001", "T1", 1_002_000, PlantHistory.value(1, 1, 1_002), "UNCERTAIN", "IMPUTED");
        assertThat(tally.notGood).isEqualTo(1);
        assertThat(tally.imputed).isEqualTo(1);
        assertThat(tally.exact()).isFalse();
        assertThat(tally.summary()).contains("first problem: duplicate D000/T0 at 1000");
    }

    private Tally complete() {
        Tally tally = new Tally(history);
        forEachSample((d, t, s) -> tally.add(PlantHistory.device(d), PlantHistory.tag(t), s * 1000,
                PlantHistory.value(d, t, s), "GOOD", "MEASURED"));
        return tally;
    }

    private interface Sample {
        void accept(int d, int t, long s);
    }

    private void forEachSample(Sample sample) {
        for (int d = 0; d < history.devices(); d++) {
            for (int t = 0; t < history.tagsPerDevice(); t++) {
                for (long s = history.firstSecond(); s <= history.lastSecond(); s++) {
                    sample.accept(d, t, s);
                }
            }
        }
    }
}
