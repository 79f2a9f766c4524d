using System.Runtime.CompilerServices;
using MathNet.Numerics;
using SelfLearning.Internal;

namespace SelfLearning.Evaluation;

/// <summary>
/// Metrics of a clustering on given points and assignments, as scikit-learn defines them: the mean silhouette
/// (<c>silhouette_score</c>, Euclidean), the within-cluster sum of squares per point, and the adjusted Rand index
/// between two assignments (<c>adjusted_rand_score</c>).
/// </summary>
public static class ClusteringMetrics
{
    /// <summary>
    /// The mean silhouette coefficient over the points: for each, (b − a) / max(a, b), with a its mean distance to the
    /// other points of its cluster and b the smallest mean distance to another cluster; 0 for a point alone in its
    /// cluster (scikit-learn's convention). O(n²·d).
    /// </summary>
    /// <param name="points">The points, one row each, all of one width.</param>
    /// <param name="assignments">Each point's cluster, non-negative.</param>
    /// <returns>The mean silhouette in [−1, 1].</returns>
    /// <exception cref="ArgumentException">Lengths differ, a value is not finite, an assignment is negative, or fewer than 2 or more than n − 1 clusters are used.</exception>
    public static double Silhouette(IReadOnlyList<double[]> points, ReadOnlySpan<int> assignments)
    {
        int n = Validate(points, assignments);
        int k = ClusterCount(assignments);
        int used = 0;
        var sizes = new int[k];
        foreach (int a in assignments)
        {
            used += sizes[a]++ == 0 ? 1 : 0;
        }

        if (used < 2 || used > n - 1)
        {
            throw new ArgumentException($"The silhouette needs between 2 and n − 1 = {n - 1} clusters, but the assignments use {used}.", nameof(assignments));
        }

        return SilhouetteOf(points, assignments, sizes);
    }

    /// <summary>
    /// The silhouette on validated input: the one computation behind <see cref="Silhouette"/> and the k-means trainer's
    /// validation metric, checked against scikit-learn's <c>silhouette_score</c> by the trainer's reference tests.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SilhouetteOf(IReadOnlyList<double[]> points, ReadOnlySpan<int> assignments, int[] sizes)
    {
        int n = points.Count;
        int k = sizes.Length;
        var sums = new double[k];
        double total = 0.0;
        for (int i = 0; i < n; i++)
        {
            Array.Clear(sums);
            double[] x = points[i];
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    sums[assignments[j]] += EuclideanDistance(x, points[j]);
                }
            }

            int own = assignments[i];
            if (sizes[own] <= 1)
            {
                continue;
            }

            double a = sums[own] / (sizes[own] - 1);
            double b = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, sums[c] / sizes[c]);
                }
            }

            double denominator = Math.Max(a, b);
            total += denominator > 0.0 ? (b - a) / denominator : 0.0;
        }

        return total / n;
    }

    /// <summary>The Euclidean distance of two points of one width, without allocating (the silhouette takes n² of them).</summary>
    private static double EuclideanDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0.0;
        for (int t = 0; t < x.Length; t++)
        {
            double difference = x[t] - y[t];
            sum += difference * difference;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>The within-cluster sum of squared distances to each cluster's mean of the given points, divided by the number of points.</summary>
    /// <param name="points">The points.</param>
    /// <param name="assignments">Each point's cluster.</param>
    /// <returns>The inertia per point.</returns>
    /// <exception cref="ArgumentException">Lengths differ, a value is not finite or an assignment is negative.</exception>
    public static double InertiaPerPoint(IReadOnlyList<double[]> points, ReadOnlySpan<int> assignments)
    {
        int n = Validate(points, assignments);
        int k = ClusterCount(assignments);
        int d = points[0].Length;
        var means = new double[k, d];
        var sizes = new int[k];
        for (int i = 0; i < n; i++)
        {
            sizes[assignments[i]]++;
            for (int j = 0; j < d; j++)
            {
                means[assignments[i], j] += points[i][j];
            }
        }

        double sum = 0.0;
        for (int i = 0; i < n; i++)
        {
            int c = assignments[i];
            for (int j = 0; j < d; j++)
            {
                double diff = points[i][j] - (means[c, j] / sizes[c]);
                sum += diff * diff;
            }
        }

        return sum / n;
    }

    /// <summary>The adjusted Rand index of two assignments of the same points (1 for identical partitions, about 0 for random ones).</summary>
    /// <param name="first">The first assignment.</param>
    /// <param name="second">The second assignment.</param>
    /// <returns>The index; 1 when both put every point in one cluster or each point alone, as scikit-learn does.</returns>
    /// <exception cref="ArgumentException">The lengths differ, are 0, or a cluster index is negative.</exception>
    public static double AdjustedRandIndex(ReadOnlySpan<int> first, ReadOnlySpan<int> second)
    {
        if (first.Length != second.Length || first.IsEmpty)
        {
            throw new ArgumentException($"Both assignments need the same, non-zero length; they have {first.Length} and {second.Length}.", nameof(second));
        }

        int rows = ClusterCount(first);
        int columns = ClusterCount(second);
        var table = new long[rows, columns];
        var rowSums = new long[rows];
        var columnSums = new long[columns];
        for (int i = 0; i < first.Length; i++)
        {
            table[first[i], second[i]]++;
            rowSums[first[i]]++;
            columnSums[second[i]]++;
        }

        double index = 0.0;
        foreach (long count in table)
        {
            index += Pairs(count);
        }

        double a = rowSums.Sum(Pairs);
        double b = columnSums.Sum(Pairs);
        double all = Pairs(first.Length);
        double expected = a * b / all;
        double maximum = (a + b) / 2.0;
        return maximum == expected ? 1.0 : (index - expected) / (maximum - expected);
    }

    private static double Pairs(long n) => n * (n - 1) / 2.0;

    private static int ClusterCount(ReadOnlySpan<int> assignments)
    {
        int max = -1;
        for (int i = 0; i < assignments.Length; i++)
        {
            if (assignments[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(assignments), assignments[i], $"Assignment {i} is {assignments[i]}; clusters are numbered from 0.");
            }

            max = Math.Max(max, assignments[i]);
        }

        return max + 1;
    }

    private static int Validate(IReadOnlyList<double[]> points, ReadOnlySpan<int> assignments)
    {
        Guard.NotNull(points);
        if (points.Count == 0 || points.Count != assignments.Length)
        {
            throw new ArgumentException($"Need one assignment per point and at least one point; got {points.Count} points and {assignments.Length} assignments.", nameof(assignments));
        }

        int d = points[0].Length;
        for (int i = 0; i < points.Count; i++)
        {
            if (points[i].Length != d)
            {
                throw new ArgumentException($"Point {i} has {points[i].Length} values but point 0 has {d}.", nameof(points));
            }

            foreach (double v in points[i])
            {
                if (!double.IsFinite(v))
                {
                    throw new ArgumentOutOfRangeException(nameof(points), v, $"Point {i} holds {v}; every value must be finite.");
                }
            }
        }

        return points.Count;
    }
}
