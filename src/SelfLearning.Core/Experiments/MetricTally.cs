namespace SelfLearning.Experiments;

/// <summary>
/// The running sums of one metric in one arm: count, sum and sum of squares. Sums are additive, so
/// tallies from several processes or a SQL <c>UPDATE … SET sum = sum + @value</c> combine exactly;
/// for a success rate the values are 0 and 1, so <see cref="Sum"/> is the number of successes.
/// </summary>
/// <param name="Count">The number of outcomes.</param>
/// <param name="Sum">The sum of the outcome values.</param>
/// <param name="SumOfSquares">The sum of the squared outcome values.</param>
public readonly record struct MetricTally(long Count, double Sum, double SumOfSquares)
{
    /// <summary>Gets the mean, or 0 when there is no outcome.</summary>
    public double Mean => Count == 0 ? 0.0 : Sum / Count;

    /// <summary>
    /// Gets the sample variance (divisor n − 1), or 0 with fewer than two outcomes; rounding never
    /// makes it negative.
    /// </summary>
    public double Variance => Count < 2 ? 0.0 : Math.Max(0.0, (SumOfSquares - (Sum * Sum / Count)) / (Count - 1));

    /// <summary>The tally with one more outcome.</summary>
    /// <param name="value">The outcome value.</param>
    /// <returns>The new tally.</returns>
    public MetricTally Add(double value) => new(Count + 1, Sum + value, SumOfSquares + (value * value));

    /// <summary>The tally of both sets of outcomes.</summary>
    /// <param name="other">Another tally of the same metric and arm.</param>
    /// <returns>The combined tally.</returns>
    public MetricTally Combine(MetricTally other) => new(Count + other.Count, Sum + other.Sum, SumOfSquares + other.SumOfSquares);
}
