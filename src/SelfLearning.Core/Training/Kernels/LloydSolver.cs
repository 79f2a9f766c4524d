using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// k-means on column-major standardised data: k-means++ seeding and Lloyd's iterations. Each iteration is one
/// blocked pass, as scikit-learn's chunked Lloyd: for every block of <see cref="BlockRows"/> rows the centres are
/// ranked by ‖c‖² − 2x·c (‖x‖² is the same for every centre), eight rows by four centres at a time down the
/// columns, and the block's rows are then added to their new clusters' sums while the block is in cache. Inertia
/// is summed from the exact squared distances. Nothing is allocated per iteration.
/// </summary>
internal static class LloydSolver
{
    /// <summary>Rows per block: a block of up to 32 standardised columns stays in the second-level cache.</summary>
    public const int BlockRows = 256;

    /// <summary>Doubles per 256-bit vector (a constant, so that methods compiled before this class is initialised fold it).</summary>
    private const int Width = 4;

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
    /// <param name="labels">
    /// Where to keep the labels (at least <paramref name="n"/> long, e.g. rented from a pool: a fresh 4 MB array per fit
    /// costs tens of milliseconds of first-touch page faults), or <see langword="null"/> for a new array.
    /// </param>
    /// <returns>The centres (row-major), labels (rows [0, n) of the array used), inertia, iterations and convergence.</returns>
    public static (double[] Centers, int[] Labels, double Inertia, int Iterations, bool Converged) Lloyd(
        double[] columns, int n, int d, double[] initialCenters, int maxIterations, int[]? labels = null)
    {
        int k = initialCenters.Length / d;
        var centers = (double[])initialCenters.Clone();
        labels ??= new int[n];
        labels.AsSpan(0, n).Fill(-1);
        var work = new Workspace(k, d);
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            work.Clear();
            if (!Pass(columns, n, d, centers, labels, work, accumulate: true, inertia: false, out _))
            {
                // The sums are of the same rows as the centres' own: the centres stay, and the inertia needs a pass.
                return (centers, labels, Inertia(columns, n, d, centers, labels), iteration - 1, true);
            }

            Relocate(columns, n, d, centers, labels, work.Sums, work.Counts);
            for (int c = 0; c < k; c++)
            {
                long count = work.Counts[c];
                double scale = count > 0 ? 1.0 / count : 1.0;
                for (int j = 0; j < d; j++)
                {
                    centers[(c * d) + j] = count > 0 ? work.Sums[(c * d) + j] * scale : work.Sums[(c * d) + j];
                }
            }
        }

        Pass(columns, n, d, centers, labels, work, accumulate: false, inertia: true, out double total);
        return (centers, labels, total, maxIterations, false);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] SeedPlusPlus(double[] columns, int n, int d, int k, Random rng)
    {
        var chosen = new int[k];
        chosen[0] = rng.Next(n);
        double[] rented = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            Span<double> d2 = rented.AsSpan(0, n);
            Span<double> candidate = rented.AsSpan(n, n);
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
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return chosen;
    }

    /// <summary>Σ over rows of the exact squared distance to the row's centre.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Inertia(double[] columns, int n, int d, double[] centers, int[] labels)
    {
        Span<double> distances = stackalloc double[BlockRows];
        double total = 0.0;
        for (int start = 0; start < n; start += BlockRows)
        {
            int count = Math.Min(BlockRows, n - start);
            OwnDistances(columns, n, d, centers, labels, start, distances[..count]);
            for (int i = 0; i < count; i++)
            {
                total += distances[i];
            }
        }

        return total;
    }

    /// <summary>
    /// One pass: labels every row with its nearest centre and, when asked, adds each row to its new cluster's sum and
    /// count (<paramref name="accumulate"/>) and sums the exact squared distances (<paramref name="inertia"/>).
    /// </summary>
    /// <returns>Whether any label changed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Pass(
        double[] columns, int n, int d, double[] centers, int[] labels, Workspace work, bool accumulate, bool inertia, out double total)
    {
        int k = work.Norms.Length;
        for (int c = 0; c < k; c++)
        {
            double norm = 0.0;
            for (int j = 0; j < d; j++)
            {
                norm = Math.FusedMultiplyAdd(centers[(c * d) + j], centers[(c * d) + j], norm);
            }

            work.Norms[c] = norm;
        }

        bool changed = false;
        total = 0.0;
        for (int start = 0; start < n; start += BlockRows)
        {
            int count = Math.Min(BlockRows, n - start);
            changed |= AssignBlock(columns, n, d, centers, work.Norms, start, count, labels);
            if (accumulate)
            {
                AccumulateBlock(columns, n, d, start, count, labels, work.Partials, work.Counts, work.Stride);
            }

            if (inertia)
            {
                Span<double> distances = work.BlockDistances.AsSpan(0, count);
                OwnDistances(columns, n, d, centers, labels, start, distances);
                for (int i = 0; i < count; i++)
                {
                    total += distances[i];
                }
            }
        }

        if (accumulate)
        {
            Merge(work.Partials, k, d, work.Stride, work.Sums);
        }

        return changed;
    }

    /// <summary>
    /// Labels rows [start, start + count): eight rows (two vectors) against four centres at a time, so each loaded
    /// value feeds four fused multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AssignBlock(double[] columns, int n, int d, double[] centers, double[] norms, int start, int count, int[] labels)
    {
        int k = norms.Length;
        bool changed = false;
        ref double x = ref MemoryMarshal.GetArrayDataReference(columns);
        ref double center = ref MemoryMarshal.GetArrayDataReference(centers);
        ref int label = ref MemoryMarshal.GetArrayDataReference(labels);
        var minusTwo = Vector256.Create(-2.0);
        int end = start + count;
        int i = start;

        for (; i + (2 * Width) <= end; i += 2 * Width)
        {
            var best0 = Vector256.Create(double.PositiveInfinity);
            var best1 = best0;
            var label0 = Vector256<double>.Zero;
            var label1 = label0;
            int c = 0;
            for (; c + 4 <= k; c += 4)
            {
                var a0 = Vector256<double>.Zero;
                var a1 = Vector256<double>.Zero;
                var b0 = Vector256<double>.Zero;
                var b1 = Vector256<double>.Zero;
                var e0 = Vector256<double>.Zero;
                var e1 = Vector256<double>.Zero;
                var f0 = Vector256<double>.Zero;
                var f1 = Vector256<double>.Zero;
                ref double c0 = ref Unsafe.Add(ref center, c * d);
                ref double c1 = ref Unsafe.Add(ref c0, d);
                ref double c2 = ref Unsafe.Add(ref c1, d);
                ref double c3 = ref Unsafe.Add(ref c2, d);
                for (int j = 0; j < d; j++)
                {
                    ref double row = ref Unsafe.Add(ref x, (j * n) + i);
                    var x0 = Vector256.LoadUnsafe(ref row);
                    var x1 = Vector256.LoadUnsafe(ref row, (nuint)Width);
                    var w = Vector256.Create(Unsafe.Add(ref c0, j));
                    a0 = Vector256.FusedMultiplyAdd(x0, w, a0);
                    a1 = Vector256.FusedMultiplyAdd(x1, w, a1);
                    w = Vector256.Create(Unsafe.Add(ref c1, j));
                    b0 = Vector256.FusedMultiplyAdd(x0, w, b0);
                    b1 = Vector256.FusedMultiplyAdd(x1, w, b1);
                    w = Vector256.Create(Unsafe.Add(ref c2, j));
                    e0 = Vector256.FusedMultiplyAdd(x0, w, e0);
                    e1 = Vector256.FusedMultiplyAdd(x1, w, e1);
                    w = Vector256.Create(Unsafe.Add(ref c3, j));
                    f0 = Vector256.FusedMultiplyAdd(x0, w, f0);
                    f1 = Vector256.FusedMultiplyAdd(x1, w, f1);
                }

                Keep(minusTwo, a0, a1, norms[c], c, ref best0, ref best1, ref label0, ref label1);
                Keep(minusTwo, b0, b1, norms[c + 1], c + 1, ref best0, ref best1, ref label0, ref label1);
                Keep(minusTwo, e0, e1, norms[c + 2], c + 2, ref best0, ref best1, ref label0, ref label1);
                Keep(minusTwo, f0, f1, norms[c + 3], c + 3, ref best0, ref best1, ref label0, ref label1);
            }

            for (; c < k; c++)
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

                Keep(minusTwo, dot0, dot1, norms[c], c, ref best0, ref best1, ref label0, ref label1);
            }

            // The labels are small whole numbers, exact as doubles and as 64-bit integers.
            var labels8 = Vector256.Narrow(Vector256.ConvertToInt64(label0), Vector256.ConvertToInt64(label1));
            ref int target = ref Unsafe.Add(ref label, i);
            changed |= !Vector256.EqualsAll(labels8, Vector256.LoadUnsafe(ref target));
            labels8.StoreUnsafe(ref target);
        }

        for (; i < end; i++)
        {
            double best = double.PositiveInfinity;
            int nearest = 0;
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
                    nearest = c;
                }
            }

            changed |= Relabel(labels, i, nearest);
        }

        return changed;
    }

    /// <summary>Takes centre <paramref name="c"/> for the lanes where ‖c‖² − 2x·c is lower than the best so far.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(
        Vector256<double> minusTwo, Vector256<double> dot0, Vector256<double> dot1, double norm, int c,
        ref Vector256<double> best0, ref Vector256<double> best1, ref Vector256<double> label0, ref Vector256<double> label1)
    {
        var normVector = Vector256.Create(norm);
        var distance0 = Vector256.FusedMultiplyAdd(minusTwo, dot0, normVector);
        var distance1 = Vector256.FusedMultiplyAdd(minusTwo, dot1, normVector);
        var closer0 = Vector256.LessThan(distance0, best0);
        var closer1 = Vector256.LessThan(distance1, best1);
        var index = Vector256.Create((double)c);
        best0 = Vector256.ConditionalSelect(closer0, distance0, best0);
        best1 = Vector256.ConditionalSelect(closer1, distance1, best1);
        label0 = Vector256.ConditionalSelect(closer0, index, label0);
        label1 = Vector256.ConditionalSelect(closer1, index, label1);
    }

    /// <summary>
    /// Adds rows [start, start + count) to their clusters' sums and counts. Four rows at a time, each 4 × 4 tile of the
    /// column-major block is transposed into four row pieces, and row r of the four goes to copy r of the sums
    /// (<paramref name="partials"/>, width <paramref name="stride"/> per cluster), so consecutive rows of one cluster
    /// do not wait on each other's store. The copies are added up in a fixed order by <see cref="Merge"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateBlock(double[] columns, int n, int d, int start, int count, int[] labels, double[] partials, long[] counts, int stride)
    {
        int k = counts.Length;
        int copy = k * stride;
        ref double x = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(columns), start);
        ref double sum = ref MemoryMarshal.GetArrayDataReference(partials);
        ref int label = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(labels), start);
        int tiled = Avx.IsSupported ? d - (d % 4) : 0;
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            int l0 = Unsafe.Add(ref label, i) * stride;
            int l1 = (Unsafe.Add(ref label, i + 1) * stride) + copy;
            int l2 = (Unsafe.Add(ref label, i + 2) * stride) + (2 * copy);
            int l3 = (Unsafe.Add(ref label, i + 3) * stride) + (3 * copy);
            counts[Unsafe.Add(ref label, i)]++;
            counts[Unsafe.Add(ref label, i + 1)]++;
            counts[Unsafe.Add(ref label, i + 2)]++;
            counts[Unsafe.Add(ref label, i + 3)]++;
            int j = 0;
            for (; j < tiled; j += 4)
            {
                ref double column = ref Unsafe.Add(ref x, (j * n) + i);
                var c0 = Vector256.LoadUnsafe(ref column);
                var c1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref column, n));
                var c2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref column, 2 * n));
                var c3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref column, 3 * n));
                var t0 = Avx.UnpackLow(c0, c1);
                var t1 = Avx.UnpackHigh(c0, c1);
                var t2 = Avx.UnpackLow(c2, c3);
                var t3 = Avx.UnpackHigh(c2, c3);
                AddTo(ref Unsafe.Add(ref sum, l0 + j), Avx.Permute2x128(t0, t2, 0x20));
                AddTo(ref Unsafe.Add(ref sum, l1 + j), Avx.Permute2x128(t1, t3, 0x20));
                AddTo(ref Unsafe.Add(ref sum, l2 + j), Avx.Permute2x128(t0, t2, 0x31));
                AddTo(ref Unsafe.Add(ref sum, l3 + j), Avx.Permute2x128(t1, t3, 0x31));
            }

            for (; j < d; j++)
            {
                ref double column = ref Unsafe.Add(ref x, (j * n) + i);
                Unsafe.Add(ref sum, l0 + j) += column;
                Unsafe.Add(ref sum, l1 + j) += Unsafe.Add(ref column, 1);
                Unsafe.Add(ref sum, l2 + j) += Unsafe.Add(ref column, 2);
                Unsafe.Add(ref sum, l3 + j) += Unsafe.Add(ref column, 3);
            }
        }

        for (; i < count; i++)
        {
            int l = Unsafe.Add(ref label, i);
            counts[l]++;
            for (int j = 0; j < d; j++)
            {
                Unsafe.Add(ref sum, (l * stride) + j) += Unsafe.Add(ref x, (j * n) + i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref double target, Vector256<double> value) =>
        (Vector256.LoadUnsafe(ref target) + value).StoreUnsafe(ref target);

    /// <summary>sums[c, j] = ((copy 0 + copy 1) + copy 2) + copy 3 of <see cref="AccumulateBlock"/>'s partial sums.</summary>
    private static void Merge(double[] partials, int k, int d, int stride, double[] sums)
    {
        int copy = k * stride;
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++)
            {
                int at = (c * stride) + j;
                sums[(c * d) + j] = ((partials[at] + partials[at + copy]) + partials[at + (2 * copy)]) + partials[at + (3 * copy)];
            }
        }
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
    /// tie, and takes that row out of its own cluster's sum and count. One pass keeps the farthest rows in a short list.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

        // Sorted farthest first; a later row enters only if strictly farther, so ties keep the lower index.
        var farthest = new int[empty];
        var farthestDistance = new double[empty];
        int held = 0;
        Span<double> distances = stackalloc double[BlockRows];
        for (int start = 0; start < n; start += BlockRows)
        {
            int count = Math.Min(BlockRows, n - start);
            OwnDistances(columns, n, d, centers, labels, start, distances[..count]);
            for (int i = 0; i < count; i++)
            {
                double distance = distances[i];
                if (held == empty && !(distance > farthestDistance[empty - 1]))
                {
                    continue;
                }

                int at = held < empty ? held++ : empty - 1;
                while (at > 0 && distance > farthestDistance[at - 1])
                {
                    farthest[at] = farthest[at - 1];
                    farthestDistance[at] = farthestDistance[at - 1];
                    at--;
                }

                farthest[at] = start + i;
                farthestDistance[at] = distance;
            }
        }

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

    /// <summary>The exact squared distance of rows [start, start + distances.Length) to their own centres.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OwnDistances(double[] columns, int n, int d, double[] centers, int[] labels, int start, Span<double> distances)
    {
        distances.Clear();
        for (int j = 0; j < d; j++)
        {
            ReadOnlySpan<double> column = columns.AsSpan((j * n) + start, distances.Length);
            for (int i = 0; i < distances.Length; i++)
            {
                double delta = column[i] - centers[(labels[start + i] * d) + j];
                distances[i] = Math.FusedMultiplyAdd(delta, delta, distances[i]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SquaredDistances(double[] columns, int n, int d, int row, Span<double> distances)
    {
        distances.Clear();
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

    /// <summary>The buffers one Lloyd run reuses across its iterations.</summary>
    private sealed class Workspace(int k, int d)
    {
        public double[] Sums { get; } = new double[k * d];

        public long[] Counts { get; } = new long[k];

        public double[] Norms { get; } = new double[k];

        /// <summary>Gets the sums' row width: d rounded up to whole vectors.</summary>
        public int Stride { get; } = (d + 3) / 4 * 4;

        /// <summary>Gets four copies of the sums, k × <see cref="Stride"/> each.</summary>
        public double[] Partials { get; } = new double[4 * k * ((d + 3) / 4 * 4)];

        public double[] BlockDistances { get; } = new double[BlockRows];

        public void Clear()
        {
            Array.Clear(Partials);
            Array.Clear(Counts);
        }
    }
}
