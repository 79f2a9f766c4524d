using SelfLearning.Internal;

namespace SelfLearning.Statistics;

/// <summary>Statistics that measure how far a recent sample has drifted from a reference sample.</summary>
public static class DriftStatistics
{
    /// <summary>The default number of bins of <see cref="PopulationStabilityIndex"/> (deciles).</summary>
    public const int DefaultBins = 10;

    /// <summary>The most bins <see cref="PopulationStabilityIndex"/> accepts; a larger count is refused before anything is allocated.</summary>
    public const int MaximumBins = 1_000_000;

    /// <summary>
    /// The floor applied to a bin's share before taking its logarithm, so an empty bin contributes a large
    /// but finite term instead of an infinite one.
    /// </summary>
    public const double EmptyBinShare = 1e-4;

    /// <summary>
    /// The population stability index PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) of <paramref name="actual"/> against
    /// <paramref name="expected"/>.
    /// </summary>
    /// <remarks>
    /// Bins come from the expected sample's quantiles: the interior edges are the k/<paramref name="bins"/>
    /// quantiles (k = 1 … bins − 1, linear interpolation as numpy's default <c>np.quantile</c>), duplicate edges
    /// are merged (so a sample with many ties may give fewer bins), and the outer bins are open-ended, so
    /// values outside the expected sample's range still count. A value equal to an edge belongs to the bin
    /// above it (<c>np.searchsorted(edges, x, side='right')</c>). Shares are bin counts over sample size,
    /// floored at <see cref="EmptyBinShare"/>. Conventional reading: below 0.1 stable, 0.1–0.25 a moderate
    /// shift, above 0.25 a major shift. The expected sample is copied and sorted (one allocation).
    /// </remarks>
    /// <param name="expected">The reference sample (finite values, not empty).</param>
    /// <param name="actual">The recent sample (finite values, not empty).</param>
    /// <param name="bins">The number of quantile bins, in [2, <see cref="MaximumBins"/>].</param>
    /// <returns>The index, zero or more.</returns>
    /// <exception cref="ArgumentException">A sample is empty or holds a non-finite value, or <paramref name="bins"/> is outside [2, <see cref="MaximumBins"/>].</exception>
    public static double PopulationStabilityIndex(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, int bins = DefaultBins)
    {
        Guard.NotEmpty(expected);
        Guard.NotEmpty(actual);
        Guard.AllFinite(expected);
        Guard.AllFinite(actual);
        Guard.InRange(bins, 2, MaximumBins);

        double[] sorted = expected.ToArray();
        Array.Sort(sorted);
        double[] edges = QuantileEdges(sorted, bins);

        double[] expectedCounts = new double[edges.Length + 1];
        double[] actualCounts = new double[edges.Length + 1];
        foreach (double value in sorted)
        {
            expectedCounts[BinOf(edges, value)]++;
        }

        foreach (double value in actual)
        {
            actualCounts[BinOf(edges, value)]++;
        }

        double index = 0.0;
        for (int k = 0; k < expectedCounts.Length; k++)
        {
            double e = Math.Max(expectedCounts[k] / expected.Length, EmptyBinShare);
            double a = Math.Max(actualCounts[k] / actual.Length, EmptyBinShare);
            index += (a - e) * Math.Log(a / e);
        }

        return index;
    }

    // Distinct interior edges at the k/bins quantiles of a sorted sample, numpy's linear method.
    private static double[] QuantileEdges(double[] sorted, int bins)
    {
        var edges = new List<double>(bins - 1);
        for (int k = 1; k < bins; k++)
        {
            double position = (double)k / bins * (sorted.Length - 1);
            int below = (int)Math.Floor(position);
            double fraction = position - below;
            double edge = below + 1 < sorted.Length
                ? Lerp(sorted[below], sorted[below + 1], fraction)
                : sorted[below];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        return [.. edges];
    }

    // numpy's _lerp: interpolate from the nearer end for accuracy.
    private static double Lerp(double a, double b, double t)
    {
        double difference = b - a;
        return t >= 0.5 ? b - (difference * (1.0 - t)) : a + (difference * t);
    }

    // The number of edges ≤ value: the bin index, with values on an edge going to the bin above.
    private static int BinOf(double[] edges, double value)
    {
        int lo = 0;
        int hi = edges.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
