package io.tagstream.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class WindowStatsTest {

    private static final long MIN = EpochWindows.MINUTE_MS;
    private static final long HOUR = EpochWindows.HOUR_MS;

    /** One sample: value null for missing; bad / imputed flags. */
    record Sample(long ts, Double value, boolean imputed, boolean bad) {
        static Sample good(long ts, double value) {
            return new Sample(ts, value, false, false);
        }
    }

    private static WindowStats direct(long start, long end, Step carry, long maxStep, List<Sample> samples) {
        WindowStats.Accumulator accumulator = new WindowStats.Accumulator(start, carry, maxStep);
        samples.stream().filter(s -> s.ts >= start && s.ts < end).sorted(Comparator.comparingLong(Sample::ts))
                .forEach(s -> accumulator.add(s.ts, s.value, s.imputed, s.bad));
        return accumulator.closeAt(end);
    }

    /** The hour as the app builds it: minute by minute (only minutes with samples), rolled up. */
    private static WindowStats rolledUp(long hourStart, Step carry, long maxStep, List<Sample> samples) {
        WindowStats hour = WindowStats.empty(hourStart, carry);
        Step running = carry;
        for (long m = hourStart; m < hourStart + HOUR; m += MIN) {
            long from = m;
            if (samples.stream().noneMatch(s -> s.ts >= from && s.ts < from + MIN)) {
                continue;
            }
            WindowStats minute = direct(m, m + MIN, running, maxStep, samples);
            running = minute.endStep();
            hour = hour.then(minute, maxStep);
        }
        return hour.extendTo(hourStart + HOUR, maxStep);
    }

    private static void assertSame(WindowStats actual, WindowStats expected) {
        assertThat(actual.start()).isEqualTo(expected.start());
        assertThat(actual.end()).isEqualTo(expected.end());
        assertThat(actual.count()).isEqualTo(expected.count());
        assertThat(actual.imputedCount()).isEqualTo(expected.imputedCount());
        assertThat(actual.badCount()).isEqualTo(expected.badCount());
        assertThat(actual.moments().count()).isEqualTo(expected.moments().count());
        assertThat(actual.hasValues()).isEqualTo(expected.hasValues());
        if (expected.hasValues()) {
            assertThat(actual.min()).isEqualTo(expected.min());
            assertThat(actual.max()).isEqualTo(expected.max());
            assertThat(actual.first()).isEqualTo(expected.first());
            assertThat(actual.firstTs()).isEqualTo(expected.firstTs());
            assertThat(actual.last()).isEqualTo(expected.last());
            assertThat(actual.lastTs()).isEqualTo(expected.lastTs());
            assertClose(actual.sum().value(), expected.sum().value());
            assertClose(actual.mean(), expected.mean());
            // Welford's updates and Chan's merges round differently: around 1e9, where doubles are 1.2e-7 apart,
            // the two agree to about 1e-9 relative (largeOffsets... checks both against the exact value)
            assertThat(actual.stddev()).isCloseTo(expected.stddev(), within(1e-7 * Math.max(1.0, expected.stddev())));
        }
        assertThat(actual.weightedMillis()).isEqualTo(expected.weightedMillis());
        if (expected.weightedMillis() > 0) {
            assertClose(actual.timeWeightedAverage(), expected.timeWeightedAverage());
        }
        assertThat(actual.endStep()).isEqualTo(expected.endStep());
    }

    private static void assertClose(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-12 * Math.max(1.0, Math.abs(expected))));
    }

    private static List<Sample> randomHour(Random random, long hourStart, double offset, double scale) {
        List<Sample> samples = new ArrayList<>();
        int n = 50 + random.nextInt(3000);
        for (int i = 0; i < n; i++) {
            long ts = hourStart + (long) (random.nextDouble() * HOUR);
            if (random.nextInt(10) == 0) {
                ts = hourStart + 20 * MIN + random.nextInt(5_000); // a burst, with duplicate times
            }
            double roll = random.nextDouble();
            Double value = offset + scale * random.nextGaussian();
            boolean bad = roll < 0.05;
            if (roll > 0.97) {
                if (roll > 0.99) {
                    value = Double.NaN;
                } else if (roll > 0.98) {
                    value = Double.POSITIVE_INFINITY;
                } else {
                    value = null;
                }
            }
            samples.add(new Sample(ts, value, random.nextInt(7) == 0, bad));
        }
        // a silent stretch longer than the max step, so expiry and empty minutes matter
        samples.removeIf(s -> s.ts >= hourStart + 40 * MIN && s.ts < hourStart + 55 * MIN);
        return samples;
    }

    @Test
    void hourRolledUpFromMinutesEqualsTheHourComputedFromTheReadings() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            long hourStart = 1_764_000_000_000L / HOUR * HOUR + seed * HOUR;
            double offset = seed % 3 == 0 ? 1e9 : seed % 3 == 1 ? -40.0 : 0.0;
            List<Sample> samples = randomHour(random, hourStart, offset, 1 + random.nextInt(100));
            Step carry = seed % 4 == 0 ? Step.NONE : new Step(offset + 1.5, hourStart - random.nextInt(900_000));
            long maxStep = seed % 2 == 0 ? 600_000 : 5_000;
            assertSame(rolledUp(hourStart, carry, maxStep, samples), direct(hourStart, hourStart + HOUR, carry, maxStep, samples));
        }
    }

    @Test
    void mergingArbitraryAdjacentPartsEqualsTheWhole() {
        Random random = new Random(7);
        long start = 0;
        List<Sample> samples = randomHour(random, start, 100.0, 10.0);
        Step carry = new Step(99.0, -1_000);
        WindowStats whole = direct(start, HOUR, carry, 600_000, samples);
        for (int trial = 0; trial < 50; trial++) {
            long cut1 = 1 + random.nextInt((int) HOUR - 2);
            long cut2 = cut1 + random.nextInt((int) (HOUR - cut1));
            WindowStats a = direct(start, cut1, carry, 600_000, samples);
            WindowStats b = direct(cut1, cut2, a.endStep(), 600_000, samples);
            WindowStats c = direct(cut2, HOUR, b.endStep(), 600_000, samples);
            assertSame(a.then(b, 600_000).then(c, 600_000), whole);
        }
    }

    @Test
    void momentsMergedFromRandomPartsEqualTwoPassStatistics() {
        Random random = new Random(11);
        for (int trial = 0; trial < 100; trial++) {
            int n = 1 + random.nextInt(2000);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextGaussian() * 1000 + (trial % 2 == 0 ? 0 : 1e6);
            }
            Moments merged = Moments.EMPTY;
            Moments part = Moments.EMPTY;
            for (double v : values) {
                part = part.plus(v);
                if (random.nextInt(17) == 0) {
                    merged = merged.merge(part);
                    part = Moments.EMPTY;
                }
            }
            merged = merged.merge(part);
            double mean = 0;
            for (double v : values) {
                mean += v;
            }
            mean /= n;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            assertThat(merged.count()).isEqualTo(n);
            assertThat(merged.mean()).isCloseTo(mean, within(1e-9 * Math.max(1, Math.abs(mean))));
            assertThat(merged.populationStddev()).isCloseTo(Math.sqrt(squares / n), within(1e-9 * Math.sqrt(squares / n) + 1e-12));
        }
    }

    @Test
    void largeOffsetsKeepTheirVarianceWhereTheNaiveFormulaLosesIt() {
        Random random = new Random(3);
        int n = 10_000;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 1e9 + random.nextDouble(); // variance 1/12
        }
        // exact reference in BigDecimal, two-pass
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal total = BigDecimal.ZERO;
        for (double v : values) {
            total = total.add(new BigDecimal(v), mc);
        }
        BigDecimal mean = total.divide(BigDecimal.valueOf(n), mc);
        BigDecimal squares = BigDecimal.ZERO;
        for (double v : values) {
            BigDecimal d = new BigDecimal(v).subtract(mean, mc);
            squares = squares.add(d.multiply(d, mc), mc);
        }
        double exactStddev = Math.sqrt(squares.divide(BigDecimal.valueOf(n), mc).doubleValue());

        double sum = 0;
        double sumOfSquares = 0;
        for (double v : values) {
            sum += v;
            sumOfSquares += v * v;
        }
        double naiveVariance = sumOfSquares / n - (sum / n) * (sum / n);
        double naiveStddev = Math.sqrt(Math.max(0, naiveVariance));
        assertThat(Math.abs(naiveStddev - exactStddev) / exactStddev).as("the naive formula is useless here").isGreaterThan(0.5);

        // straight through, and merged from minute-sized parts
        WindowStats.Accumulator all = new WindowStats.Accumulator(0, Step.NONE, 600_000);
        Moments merged = Moments.EMPTY;
        Moments part = Moments.EMPTY;
        for (int i = 0; i < n; i++) {
            all.add(i, values[i], false, false);
            part = part.plus(values[i]);
            if (i % 60 == 59) {
                merged = merged.merge(part);
                part = Moments.EMPTY;
            }
        }
        merged = merged.merge(part);
        WindowStats stats = all.closeAt(n);
        assertThat(stats.stddev()).isCloseTo(exactStddev, within(exactStddev * 1e-6));
        assertThat(merged.populationStddev()).isCloseTo(exactStddev, within(exactStddev * 1e-6));
        assertThat(stats.mean()).isCloseTo(mean.doubleValue(), within(1e-6));
        assertThat(stats.sum().value()).isEqualTo(total.doubleValue());
    }

    @Test
    void timeWeightedAverageOfHandComputedCases() {
        long max = 600_000;
        // two halves: (10 x 30 s + 20 x 30 s) / 60 s
        assertThat(direct(0, MIN, Step.NONE, max, List.of(Sample.good(0, 10), Sample.good(30_000, 20)))
                .timeWeightedAverage()).isEqualTo(15.0);
        // carried 5 until 15 s, then 10: (5 x 15 + 10 x 45) / 60
        assertThat(direct(0, MIN, new Step(5, -10_000), max, List.of(Sample.good(15_000, 10)))
                .timeWeightedAverage()).isEqualTo(8.75);
        // no carry: the window counts from its first sample; the plain mean differs
        WindowStats late = direct(0, MIN, Step.NONE, max, List.of(Sample.good(45_000, 4), Sample.good(50_000, 10)));
        assertThat(late.timeWeightedAverage()).isCloseTo((4 * 5 + 10 * 10) / 15.0, within(1e-15));
        assertThat(late.weightedMillis()).isEqualTo(15_000);
        assertThat(late.mean()).isEqualTo(7.0);
        // BAD from 20 s to 40 s is not averaged: (10 x 20 + 30 x 20) / 40
        WindowStats withBad = direct(0, MIN, Step.NONE, max, List.of(Sample.good(0, 10),
                new Sample(20_000, 99.0, false, true), Sample.good(40_000, 30)));
        assertThat(withBad.timeWeightedAverage()).isEqualTo(20.0);
        assertThat(withBad.weightedMillis()).isEqualTo(40_000);
        assertThat(withBad.badCount()).isEqualTo(1);
        assertThat(withBad.max()).isEqualTo(30.0);
        // a value stays in force at most max step: 4 for 10 s, 8 for 10 s
        assertThat(direct(0, MIN, Step.NONE, 10_000, List.of(Sample.good(0, 4), Sample.good(50_000, 8)))
                .timeWeightedAverage()).isEqualTo(6.0);
        // an hour with samples in minutes 0 and 30 only: 1 for 30 minutes, 3 for 30 minutes
        List<Sample> sparse = List.of(Sample.good(0, 1), Sample.good(30 * MIN, 3));
        assertThat(rolledUp(0, Step.NONE, HOUR, sparse).timeWeightedAverage()).isEqualTo(2.0);
        assertThat(direct(0, HOUR, Step.NONE, HOUR, sparse).timeWeightedAverage()).isEqualTo(2.0);
        // nothing in force at all: no twa
        assertThat(direct(0, MIN, Step.NONE, max, List.of(new Sample(1_000, null, false, true)))
                .timeWeightedAverage()).isNaN();
    }

    @Test
    void nanAndInfinityCountButAreExcludedFromValueStatisticsAndEndTheStep() {
        WindowStats stats = direct(0, MIN, Step.NONE, 600_000, List.of(Sample.good(0, 2), Sample.good(10_000, Double.NaN),
                Sample.good(20_000, Double.POSITIVE_INFINITY), Sample.good(30_000, 4),
                Sample.good(40_000, Double.NEGATIVE_INFINITY), new Sample(50_000, null, false, false)));
        assertThat(stats.count()).isEqualTo(6);
        assertThat(stats.badCount()).isZero();
        assertThat(stats.moments().count()).isEqualTo(2);
        assertThat(stats.min()).isEqualTo(2.0);
        assertThat(stats.max()).isEqualTo(4.0);
        assertThat(stats.sum().value()).isEqualTo(6.0);
        assertThat(stats.stddev()).isEqualTo(1.0);
        assertThat(stats.last()).isEqualTo(4.0);
        // 2 for 10 s, 4 for 10 s; the non-finite and missing values leave their time uncovered
        assertThat(stats.weightedMillis()).isEqualTo(20_000);
        assertThat(stats.timeWeightedAverage()).isEqualTo(3.0);
        assertThat(stats.endStep().known()).isFalse();
        assertThat(Double.isFinite(stats.mean())).isTrue();
    }

    @Test
    void imputedSamplesAreUsableAndCountedSeparately() {
        WindowStats stats = direct(0, MIN, Step.NONE, 600_000, List.of(Sample.good(0, 1),
                new Sample(30_000, 3.0, true, false)));
        assertThat(stats.count()).isEqualTo(2);
        assertThat(stats.imputedCount()).isEqualTo(1);
        assertThat(stats.mean()).isEqualTo(2.0);
    }

    @Test
    void compensatedSumRecoversWhatPlainAdditionDrops() {
        CompensatedSum sum = CompensatedSum.ZERO.plus(1e16);
        for (int i = 0; i < 1000; i++) {
            sum = sum.plus(1.0);
        }
        assertThat(sum.plus(-1e16).value()).isEqualTo(1000.0);
        assertThat(new CompensatedSum(1e16, 0).plus(new CompensatedSum(1.0, 0.5)).plus(-1e16).value()).isEqualTo(1.5);
    }
}
