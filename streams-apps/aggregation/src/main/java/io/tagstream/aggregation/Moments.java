package io.tagstream.aggregation;

/**
 * Count, mean and sum of squared deviations from the mean (M2) of a set of values: enough for the mean
 * and the standard deviation, and mergeable. Values are added with Welford's update and partial results
 * merged with Chan et al.'s parallel formula; neither subtracts large squares, so values such as
 * 1e9 + small noise keep their variance (the textbook {@code E[x^2] - E[x]^2} loses it entirely). Immutable.
 */
public record Moments(long count, double mean, double m2) {

    public static final Moments EMPTY = new Moments(0, 0.0, 0.0);

    public Moments plus(double x) {
        long n = count + 1;
        double delta = x - mean;
        double newMean = mean + delta / n;
        return new Moments(n, newMean, m2 + delta * (x - newMean));
    }

    public Moments merge(Moments other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        // weights as doubles: count * other.count can overflow a long long before it loses precision
        double newMean = mean + delta * ((double) other.count / n);
        double newM2 = m2 + other.m2 + delta * delta * ((double) count * other.count / n);
        return new Moments(n, newMean, newM2);
    }

    /** Population standard deviation; NaN without values. */
    public double populationStddev() {
        return count == 0 ? Double.NaN : Math.sqrt(Math.max(0.0, m2) / count);
    }
}
