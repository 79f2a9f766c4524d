using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// k-means on column-major standardised data: k-means++ seeding and Lloyd's iterations. The assignment step ranks
/// centres by ‖c‖² − 2x·c (‖x‖² is the same for every centre), eight rows at a time down the columns, as
/// scikit-learn's Lloyd does; inertia is then summed from the exact squared distances.
/// </summary>
internal static class LloydSolver
{
    private static readonly int Width = Vector256<double>.Count;

    /// <summary>
    /// Lloyd's algorithm from <paramref name="initialCenters"/> (k × d, row-major): assign each row to its nearest
    /// centre (lowest index on a tie), move each centre to its rows' mean, until no assignment changes or
    /// <paramref name="maxIterations"/> updates have run (then the rows are assigned once more to the final centres).
    /// An emptied cluster takes the row farthest from its centre, which leaves its own cluster, as scikit-learn's
    /// <c>_relocate_empty_clusters</c> does.
    /// </summary>
    /// <param name="columns">The data, column j at [j·n, (j + 1)·n).</param>
    /// <param name="n">The number of rows.</param>
    /// <param name="d">The number of columns.</param>
    /// <param name="initialCenters">The k starting centres, row-major; not modified.</param>
    /// <param name="maxIterations">The iteration limit.</param>
    /// <returns>The centres (row-major), labels, inertia, iterations and convergence.</returns>
    public static (double[] Centers, int[] Labels, double Inertia, int Iterations, bool Converged) Lloyd(
        double[] columns, int n, int d, double[] initialCenters, int maxIterations)
    {
        int k = initialCenters.Length / d;
        var centers = (double[])initialCenters.Clone();
        var labels = new int[n];
        Array.Fill(labels, -1);
        var sums = new double[k * d];
        var counts = new long[k];
        var norms = new double[k];
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            bool changed = Assign(columns, n, d, centers, norms, labels);
            if (!changed)
            {
                return (centers, labels, Inertia(columns, n, d, centers, labels), iteration - 1, true);
            }

            Array.Clear(sums);
            Array.Clear(counts);
            for (int i = 0; i < labels.Length; i++)
            {
                counts[labels[i]]++;
            }

            for (int j = 0; j < d; j++)
            {
                ref double column = ref columns[j * n];
                ref double sum = ref sums[j];
                for (int i = 0; i < n; i++)
                {
                    Unsafe.Add(ref sum, labels[i] * d) += Unsafe.Add(ref column, i);
                }
            }

            Relocate(columns, n, d, centers, labels, sums, counts);
            for (int c = 0; c < k; c++)
            {
                double scale = counts[c] > 0 ? 1.0 / counts[c] : 1.0;
                for (int j = 0; j < d; j++)
                {
                    centers[(c * d) + j] = counts[c] > 0 ? sums[(c * d) + j] * scale : sums[(c * d) + j];
                }
            }
        }

        Assign(columns, n, d, centers, norms, labels);
        return (centers, labels, Inertia(columns, n, d, centers, labels), maxIterations, false);
    }

    /// <summary>
    /// k-means++ (Arthur and Vassilvitskii 2007): the first centre a uniformly drawn row, each next a row drawn with
    /// probability ∝ its squared distance to the nearest centre so far.
    /// </summary>
    /// <param name="columns">The data, column j at [j·n, (j + 1)·n).</param>
    /// <param name="n">The number of rows.</param>
    /// <param name="d">The number of columns.</param>
    /// <param name="k">The number of centres.</param>
    /// <param name="rng">The seeded generator.</param>
    /// <returns>The chosen rows' indices, in order.</returns>
    public static int[] SeedPlusPlus(double[] columns, int n, int d, int k, Random rng)
    {
        var chosen = new int[k];
        chosen[0] = rng.Next(n);
        var d2 = new double[n];
        var candidate = new double[n];
        SquaredDistances(columns, n, d, chosen[0], d2);
        for (int c = 1; c < k; c++)
        {
            double total = 0.0;
            foreach (double v in d2)
            {
                total += v;
            }

            int pick = n - 1;
            if (total > 0.0)
            {
                double target = rng.NextDouble() * total;
                double cumulative = 0.0;
                for (int i = 0; i < n; i++)
                {
                    cumulative += d2[i];
                    if (cumulative > target)
                    {
                        pick = i;
                        break;
                    }
                }
            }
            else
            {
                pick = rng.Next(n);
            }

            chosen[c] = pick;
            SquaredDistances(columns, n, d, pick, candidate);
            for (int i = 0; i < n; i++)
            {
                d2[i] = Math.Min(d2[i], candidate[i]);
            }
        }

        return chosen;
    }

    /// <summary>Σ over rows of the exact squared distance to the row's centre.</summary>
    public static double Inertia(double[] columns, int n, int d, double[] centers, int[] labels)
    {
        double[] distances = ArrayPool<double>.Shared.Rent(n);
        try
        {
            SquaredDistancesToOwnCenter(columns, n, d, centers, labels, distances);
            double total = 0.0;
            for (int i = 0; i < n; i++)
            {
                total += distances[i];
            }

            return total;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(distances);
        }
    }

    /// <summary>Labels every row with its nearest centre; whether any label changed.</summary>
    private static bool Assign(double[] columns, int n, int d, double[] centers, double[] norms, int[] labels)
    {
        int k = norms.Length;
        for (int c = 0; c < k; c++)
        {
            double norm = 0.0;
            for (int j = 0; j < d; j++)
            {
                norm = Math.FusedMultiplyAdd(centers[(c * d) + j], centers[(c * d) + j], norm);
            }

            norms[c] = norm;
        }

        bool changed = false;
        ref double x = ref MemoryMarshal.GetArrayDataReference(columns);
        ref double center = ref MemoryMarshal.GetArrayDataReference(centers);
        var minusTwo = Vector256.Create(-2.0);
        int i = 0;
        for (; i + (2 * Width) <= n; i += 2 * Width)
        {
            var best0 = Vector256.Create(double.PositiveInfinity);
            var best1 = best0;
            var label0 = Vector256<double>.Zero;
            var label1 = label0;
            for (int c = 0; c < k; c++)
            {
                var dot0 = Vector256<double>.Zero;
                var dot1 = Vector256<double>.Zero;
                for (int j = 0; j < d; j++)
                {
                    var cj = Vector256.Create(Unsafe.Add(ref center, (c * d) + j));
                    ref double row = ref Unsafe.Add(ref x, (j * n) + i);
                    dot0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row), cj, dot0);
                    dot1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, (nuint)Width), cj, dot1);
                }

                var norm = Vector256.Create(norms[c]);
                var distance0 = Vector256.FusedMultiplyAdd(minusTwo, dot0, norm);
                var distance1 = Vector256.FusedMultiplyAdd(minusTwo, dot1, norm);
                var closer0 = Vector256.LessThan(distance0, best0);
                var closer1 = Vector256.LessThan(distance1, best1);
                var index = Vector256.Create((double)c);
                best0 = Vector256.ConditionalSelect(closer0, distance0, best0);
                best1 = Vector256.ConditionalSelect(closer1, distance1, best1);
                label0 = Vector256.ConditionalSelect(closer0, index, label0);
                label1 = Vector256.ConditionalSelect(closer1, index, label1);
            }

            for (int lane = 0; lane < Width; lane++)
            {
                changed |= Relabel(labels, i + lane, (int)label0.GetElement(lane));
                changed |= Relabel(labels, i + Width + lane, (int)label1.GetElement(lane));
            }
        }

        for (; i < n; i++)
        {
            double best = double.PositiveInfinity;
            int label = 0;
            for (int c = 0; c < k; c++)
            {
                double dot = 0.0;
                for (int j = 0; j < d; j++)
                {
                    dot = Math.FusedMultiplyAdd(Unsafe.Add(ref x, (j * n) + i), Unsafe.Add(ref center, (c * d) + j), dot);
                }

                double distance = Math.FusedMultiplyAdd(-2.0, dot, norms[c]);
                if (distance < best)
                {
                    best = distance;
                    label = c;
                }
            }

            changed |= Relabel(labels, i, label);
        }

        return changed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Relabel(int[] labels, int i, int label)
    {
        bool changed = labels[i] != label;
        labels[i] = label;
        return changed;
    }

    /// <summary>
    /// Gives each empty cluster the row farthest from its (previous) centre, farthest first and the lower row index on a
    /// tie, and takes that row out of its own cluster's sum and count.
    /// </summary>
    private static void Relocate(double[] columns, int n, int d, double[] centers, int[] labels, double[] sums, long[] counts)
    {
        int empty = 0;
        foreach (long count in counts)
        {
            empty += count == 0 ? 1 : 0;
        }

        if (empty == 0)
        {
            return;
        }

        var distances = new double[n];
        SquaredDistancesToOwnCenter(columns, n, d, centers, labels, distances);
        int[] farthest = Enumerable.Range(0, n).OrderByDescending(i => distances[i]).ThenBy(i => i).Take(empty).ToArray();
        int next = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] != 0)
            {
                continue;
            }

            int row = farthest[next++];
            int old = labels[row];
            for (int j = 0; j < d; j++)
            {
                double v = columns[(j * n) + row];
                sums[(old * d) + j] -= v;
                sums[(c * d) + j] = v;
            }

            counts[old]--;
            counts[c] = 1;
        }
    }

    private static void SquaredDistancesToOwnCenter(double[] columns, int n, int d, double[] centers, int[] labels, double[] distances)
    {
        Array.Clear(distances, 0, n);
        for (int j = 0; j < d; j++)
        {
            ReadOnlySpan<double> column = columns.AsSpan(j * n, n);
            for (int i = 0; i < n; i++)
            {
                double delta = column[i] - centers[(labels[i] * d) + j];
                distances[i] = Math.FusedMultiplyAdd(delta, delta, distances[i]);
            }
        }
    }

    private static void SquaredDistances(double[] columns, int n, int d, int row, double[] distances)
    {
        Array.Clear(distances);
        for (int j = 0; j < d; j++)
        {
            ReadOnlySpan<double> column = columns.AsSpan(j * n, n);
            double center = column[row];
            for (int i = 0; i < n; i++)
            {
                double delta = column[i] - center;
                distances[i] = Math.FusedMultiplyAdd(delta, delta, distances[i]);
            }
        }
    }
}
