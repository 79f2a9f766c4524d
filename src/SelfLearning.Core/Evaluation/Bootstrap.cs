using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Evaluation;

/// <summary>
/// Seeded nonparametric bootstrap: resample the cases with replacement, recompute a statistic, and read a
/// percentile interval off the replicates. The same seed gives the same interval on every run and platform
/// (<see cref="Random"/> with an explicit seed uses a fixed algorithm).
/// </summary>
internal static class Bootstrap
{
    /// <summary>The default number of resamples.</summary>
    public const int DefaultIterations = 1000;

    /// <summary>The default confidence level.</summary>
    public const double DefaultConfidence = 0.95;

    /// <summary>
    /// A percentile bootstrap interval: the (1 − c)/2 and (1 + c)/2 quantiles (linear interpolation, numpy's
    /// default) of the statistic over <paramref name="iterations"/> resamples of <paramref name="caseCount"/> cases.
    /// </summary>
    /// <param name="caseCount">The number of cases (at least 1).</param>
    /// <param name="statistic">Computes the statistic over the cases at the given indices.</param>
    /// <param name="iterations">The number of resamples (at least 1).</param>
    /// <param name="confidence">The confidence level c, in (0, 1).</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The estimate on all cases and the interval.</returns>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    /// <exception cref="InvalidOperationException">The statistic returned a non-finite value.</exception>
    public static ConfidenceInterval PercentileInterval(
        int caseCount,
        ResampledStatistic statistic,
        int iterations = DefaultIterations,
        double confidence = DefaultConfidence,
        int seed = 0)
    {
        Guard.Positive(caseCount);
        Guard.NotNull(statistic);
        Guard.Positive(iterations);
        Guard.InOpenRange(confidence, 0.0, 1.0);

        var indices = new int[caseCount];
        for (int i = 0; i < caseCount; i++)
        {
            indices[i] = i;
        }

        double estimate = Checked(statistic(indices), -1);
        var replicates = new double[iterations];
        var random = new Random(seed);
        for (int r = 0; r < iterations; r++)
        {
            Resample(random, indices);
            replicates[r] = Checked(statistic(indices), r);
        }

        return Interval(estimate, replicates, confidence);
    }

    /// <summary>Fills <paramref name="indices"/> with indices drawn uniformly with replacement from [0, length).</summary>
    internal static void Resample(Random random, Span<int> indices)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = random.Next(indices.Length);
        }
    }

    /// <summary>The percentile interval of the replicates (sorted in place).</summary>
    internal static ConfidenceInterval Interval(double estimate, double[] replicates, double confidence)
    {
        Array.Sort(replicates);
        double alpha = (1.0 - confidence) / 2.0;
        return new ConfidenceInterval(estimate, Quantile(replicates, alpha), Quantile(replicates, 1.0 - alpha), confidence);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(position);
        if (below >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        double t = position - below;
        return sorted[below] + ((sorted[below + 1] - sorted[below]) * t);
    }

    private static double Checked(double value, int iteration)
    {
        if (!double.IsFinite(value))
        {
            string where = iteration < 0 ? "on the original cases" : $"on resample {iteration.ToString(CultureInfo.InvariantCulture)}";
            throw new InvalidOperationException(
                $"The statistic returned {value.ToString("R", CultureInfo.InvariantCulture)} {where}; it must return a finite number.");
        }

        return value;
    }
}
