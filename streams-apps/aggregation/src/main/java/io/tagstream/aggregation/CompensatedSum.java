package io.tagstream.aggregation;

/**
 * A sum of doubles with Neumaier's compensation: the rounding error of every addition is kept and added
 * back at the end, so a sum built from sixty 1-minute partial sums equals the sum of the 3,600 readings to
 * the last bit or so, whatever the order. Immutable.
 *
 * @param sum          the running (rounded) sum
 * @param compensation the accumulated rounding error of {@code sum}
 */
public record CompensatedSum(double sum, double compensation) {

    public static final CompensatedSum ZERO = new CompensatedSum(0.0, 0.0);

    public CompensatedSum plus(double x) {
        double t = sum + x;
        double error = Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
        return new CompensatedSum(t, compensation + error);
    }

    public CompensatedSum plus(CompensatedSum other) {
        CompensatedSum added = plus(other.sum);
        return new CompensatedSum(added.sum, added.compensation + other.compensation);
    }

    public double value() {
        return sum + compensation;
    }
}
