using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// k-means on standardised data in panel layout (<see cref="StandardizedPanels"/>): k-means++ seeding and Lloyd's
/// iterations. Each iteration is one pass over the panels: for a panel's eight rows every centre's score
/// ‖c‖² − 2x·c (‖x‖² is the same for every centre) is summed with the centre's coordinates broadcast against one
/// vector per dimension (k·d fused multiply-adds per eight rows, one 512-bit vector each where AVX-512 is there, two
/// 256-bit halves otherwise), the lowest score and its centre are kept lane-wise by compare and blend, and the
/// panel's rows are then added to their new clusters' sums while the panel is in the first-level cache. Inertia is
/// summed from the exact squared distances. Nothing is allocated per iteration.
/// </summary>
internal static class LloydSolver
{
    /// <summary>Rows per panel.</summary>
    private const int Rows = StandardizedPanels.PanelRows;

    /// <summary>
    /// Lloyd's algorithm from <paramref name="initialCenters"/> (k × d, row-major): assign each row to its nearest
    /// centre (lowest index on a tie, as scikit-learn), move each centre to its rows' mean, until no assignment changes or
    /// <paramref name="maxIterations"/> updates have run (then the rows are assigned once more to the final centres).
    /// An emptied cluster takes the row farthest from its centre, which leaves its own cluster, as scikit-learn's
    /// <c>_relocate_empty_clusters</c> does.
    /// </summary>
    /// <param name="panels">The data in panel layout (<see cref="StandardizedPanels"/>).</param>
    /// <param name="n">The number of rows.</param>
    /// <param name="d">The number of columns.</param>
    /// <param name="initialCenters">The k starting centres, row-major; not modified.</param>
    /// <param name="maxIterations">The iteration limit.</param>
    /// <param name="labels">
    /// Where to keep the labels (at least <paramref name="n"/> long, e.g. rented from a pool: a fresh 4 MB array per fit
    /// costs tens of milliseconds of first-touch page faults), or <see langword="null"/> for a new array.
    /// </param>
    /// <param name="wide">
    /// Whether to score with 512-bit vectors; by default when they are hardware-accelerated. The 256-bit path gives the
    /// same bits (each lane's sums run in the same order), which the tests check on a machine that has both.
    /// </param>
    /// <returns>The centres (row-major), labels (rows [0, n) of the array used), inertia, iterations and convergence.</returns>
    public static (double[] Centers, int[] Labels, double Inertia, int Iterations, bool Converged) Lloyd(
        double[] panels, int n, int d, double[] initialCenters, int maxIterations, int[]? labels = null, bool? wide = null)
    {
        bool useWide = (wide ?? Vector512.IsHardwareAccelerated) && Avx512F.IsSupported;
        int k = initialCenters.Length / d;
        var centers = (double[])initialCenters.Clone();
        labels ??= new int[n];
        labels.AsSpan(0, n).Fill(-1);
        var work = new Workspace(k, d);
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            if (!Pass(panels, n, d, centers, labels, work, iteration == 1 ? Sums.Full : Sums.Changes, useWide))
            {
                // The sums are of the same rows as the centres' own: the centres stay, and the inertia needs a pass.
                return (centers, labels, Inertia(panels, n, d, centers, labels), iteration - 1, true);
            }

            // The running sums stay those of the labelled rows; an empty cluster's relocation works on a copy.
            work.Sums.CopyTo(work.Moved, 0);
            work.Counts.CopyTo(work.MovedCounts, 0);
            Relocate(panels, n, d, centers, labels, work.Moved, work.MovedCounts);
            for (int c = 0; c < k; c++)
            {
                long count = work.MovedCounts[c];
                double scale = count > 0 ? 1.0 / count : 1.0;
                for (int j = 0; j < d; j++)
                {
                    centers[(c * d) + j] = count > 0 ? work.Moved[(c * d) + j] * scale : work.Moved[(c * d) + j];
                }
            }
        }

        Pass(panels, n, d, centers, labels, work, Sums.None, useWide);
        return (centers, labels, Inertia(panels, n, d, centers, labels), maxIterations, false);
    }

    /// <summary>
    /// k-means++ (Arthur and Vassilvitskii 2007): the first centre a uniformly drawn row, each next a row drawn with
    /// probability ∝ its squared distance to the nearest centre so far.
    /// </summary>
    /// <param name="panels">The data in panel layout.</param>
    /// <param name="n">The number of rows.</param>
    /// <param name="d">The number of columns.</param>
    /// <param name="k">The number of centres.</param>
    /// <param name="rng">The seeded generator.</param>
    /// <returns>The chosen rows' indices, in order.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] SeedPlusPlus(double[] panels, int n, int d, int k, Random rng)
    {
        var chosen = new int[k];
        chosen[0] = rng.Next(n);
        int padded = (n + Rows - 1) / Rows * Rows;
        double[] rented = ArrayPool<double>.Shared.Rent(2 * padded);
        try
        {
            Span<double> d2 = rented.AsSpan(0, padded);
            Span<double> candidate = rented.AsSpan(padded, padded);
            SquaredDistances(panels, n, d, chosen[0], d2);
            for (int c = 1; c < k; c++)
            {
                double total = 0.0;
                foreach (double v in d2[..n])
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
                SquaredDistances(panels, n, d, pick, candidate);
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

    /// <summary>Row <paramref name="i"/> of the panel data.</summary>
    /// <param name="panels">The data in panel layout.</param>
    /// <param name="d">The number of columns.</param>
    /// <param name="i">The row.</param>
    /// <returns>The row's d values.</returns>
    public static double[] Row(double[] panels, int d, int i)
    {
        var row = new double[d];
        for (int j = 0; j < d; j++)
        {
            row[j] = panels[StandardizedPanels.IndexOf(i, j, d)];
        }

        return row;
    }

    /// <summary>Σ over rows of the exact squared distance to the row's centre, in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Inertia(double[] panels, int n, int d, double[] centers, int[] labels)
    {
        Span<double> distances = stackalloc double[Rows];
        double total = 0.0;
        for (int start = 0; start < n; start += Rows)
        {
            int count = Math.Min(Rows, n - start);
            OwnDistances(panels, d, centers, labels, start, distances[..count]);
            for (int i = 0; i < count; i++)
            {
                total += distances[i];
            }
        }

        return total;
    }

    /// <summary>
    /// One pass: labels every row with its nearest centre, panel by panel, and keeps the clusters' sums and counts
    /// those of the labelled rows as <paramref name="sums"/> says.
    /// </summary>
    /// <returns>Whether any label changed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Pass(double[] panels, int n, int d, double[] centers, int[] labels, Workspace work, Sums sums, bool wide)
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
            for (int j = 0; j < d; j++)
            {
                work.Transposed[(j * k) + c] = centers[(c * d) + j];
            }
        }

        if (sums == Sums.Full)
        {
            Array.Clear(work.Partials);
            Array.Clear(work.Counts);
        }

        bool changed = false;
        int full = n / Rows;
        ref int label = ref MemoryMarshal.GetArrayDataReference(labels);
        for (int p = 0; p < full; p++)
        {
            ref int panelLabels = ref Unsafe.Add(ref label, p * Rows);
            var before = Vector256.LoadUnsafe(ref panelLabels);
            if (wide)
            {
                Assign512(panels, p, d, work.Transposed, work.Norms, labels.AsSpan(p * Rows, Rows));
            }
            else
            {
                Assign256(panels, p, d, centers, work.Norms, labels.AsSpan(p * Rows, Rows));
            }

            if (sums == Sums.Full)
            {
                AccumulatePanel(panels, p, d, labels, work.Partials, work.Counts, work.Stride);
            }

            var after = Vector256.LoadUnsafe(ref panelLabels);
            if (Vector256.EqualsAll(before, after))
            {
                continue;
            }

            changed = true;
            if (sums == Sums.Changes)
            {
                for (int r = 0; r < Rows; r++)
                {
                    if (before.GetElement(r) != after.GetElement(r))
                    {
                        Move(panels, (p * Rows) + r, d, before.GetElement(r), after.GetElement(r), work.Sums, work.Counts);
                    }
                }
            }
        }

        int rest = n - (full * Rows);
        if (rest > 0)
        {
            // The last panel's padding rows are scored too, but only the real rows' labels are kept and summed.
            Span<int> tail = stackalloc int[Rows];
            tail.Fill(-1);
            if (wide)
            {
                Assign512(panels, full, d, work.Transposed, work.Norms, tail);
            }
            else
            {
                Assign256(panels, full, d, centers, work.Norms, tail);
            }

            for (int r = 0; r < rest; r++)
            {
                int i = (full * Rows) + r;
                int previous = labels[i];
                labels[i] = tail[r];
                if (sums == Sums.Full)
                {
                    work.Counts[tail[r]]++;
                    for (int j = 0; j < d; j++)
                    {
                        work.Partials[(tail[r] * work.Stride) + j] += panels[StandardizedPanels.IndexOf(i, j, d)];
                    }
                }

                if (previous == tail[r])
                {
                    continue;
                }

                changed = true;
                if (sums == Sums.Changes)
                {
                    Move(panels, i, d, previous, tail[r], work.Sums, work.Counts);
                }
            }
        }

        if (sums == Sums.Full)
        {
            Merge(work.Partials, k, d, work.Stride, work.Sums);
        }

        return changed;
    }

    /// <summary>Moves row <paramref name="i"/> from cluster <paramref name="from"/>'s sum and count to <paramref name="to"/>'s.</summary>
    private static void Move(double[] panels, int i, int d, int from, int to, double[] sums, long[] counts)
    {
        ref double x = ref MemoryMarshal.GetArrayDataReference(panels);
        int at = StandardizedPanels.IndexOf(i, 0, d);
        ref double source = ref Unsafe.Add(ref sums[0], from * d);
        ref double target = ref Unsafe.Add(ref sums[0], to * d);
        for (int j = 0; j < d; j++)
        {
            double v = Unsafe.Add(ref x, at + (j * Rows));
            Unsafe.Add(ref source, j) -= v;
            Unsafe.Add(ref target, j) += v;
        }

        counts[from]--;
        counts[to]++;
    }

    /// <summary>
    /// Labels panel <paramref name="p"/>'s eight rows with one 512-bit vector per dimension: eight centres at a time
    /// (eight independent sums, so the fused multiply-adds' latency is hidden), each coordinate broadcast from
    /// <paramref name="transposed"/> (d × k: coordinate j of every centre together).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Assign512(double[] panels, int p, int d, double[] transposed, double[] norms, Span<int> labels)
    {
        int k = norms.Length;
        ref double x = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(panels), p * Rows * d);
        ref double center = ref MemoryMarshal.GetArrayDataReference(transposed);
        ref double norm = ref MemoryMarshal.GetArrayDataReference(norms);
        var minusTwo = Vector512.Create(-2.0);
        var best = Vector512.Create(double.PositiveInfinity);
        var label = Vector512<double>.Zero;
        var index = Vector512<double>.Zero;
        var one = Vector512<double>.One;
        int c = 0;
        for (; c + 8 <= k; c += 8)
        {
            var a0 = Vector512<double>.Zero;
            var a1 = Vector512<double>.Zero;
            var a2 = Vector512<double>.Zero;
            var a3 = Vector512<double>.Zero;
            var a4 = Vector512<double>.Zero;
            var a5 = Vector512<double>.Zero;
            var a6 = Vector512<double>.Zero;
            var a7 = Vector512<double>.Zero;
            ref double cj = ref Unsafe.Add(ref center, c);
            ref double xj = ref x;
            for (int j = 0; j < d; j++)
            {
                var v = Vector512.LoadUnsafe(ref xj);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.Create(cj), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 1)), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 2)), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 3)), a3);
                a4 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 4)), a4);
                a5 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 5)), a5);
                a6 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 6)), a6);
                a7 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 7)), a7);
                cj = ref Unsafe.Add(ref cj, k);
                xj = ref Unsafe.Add(ref xj, Rows);
            }

            ref double nc = ref Unsafe.Add(ref norm, c);
            Keep(minusTwo, a0, nc, ref index, one, ref best, ref label);
            Keep(minusTwo, a1, Unsafe.Add(ref nc, 1), ref index, one, ref best, ref label);
            Keep(minusTwo, a2, Unsafe.Add(ref nc, 2), ref index, one, ref best, ref label);
            Keep(minusTwo, a3, Unsafe.Add(ref nc, 3), ref index, one, ref best, ref label);
            Keep(minusTwo, a4, Unsafe.Add(ref nc, 4), ref index, one, ref best, ref label);
            Keep(minusTwo, a5, Unsafe.Add(ref nc, 5), ref index, one, ref best, ref label);
            Keep(minusTwo, a6, Unsafe.Add(ref nc, 6), ref index, one, ref best, ref label);
            Keep(minusTwo, a7, Unsafe.Add(ref nc, 7), ref index, one, ref best, ref label);
        }

        for (; c + 4 <= k; c += 4)
        {
            var a0 = Vector512<double>.Zero;
            var a1 = Vector512<double>.Zero;
            var a2 = Vector512<double>.Zero;
            var a3 = Vector512<double>.Zero;
            ref double cj = ref Unsafe.Add(ref center, c);
            ref double xj = ref x;
            for (int j = 0; j < d; j++)
            {
                var v = Vector512.LoadUnsafe(ref xj);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.Create(cj), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 1)), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 2)), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref cj, 3)), a3);
                cj = ref Unsafe.Add(ref cj, k);
                xj = ref Unsafe.Add(ref xj, Rows);
            }

            ref double nc = ref Unsafe.Add(ref norm, c);
            Keep(minusTwo, a0, nc, ref index, one, ref best, ref label);
            Keep(minusTwo, a1, Unsafe.Add(ref nc, 1), ref index, one, ref best, ref label);
            Keep(minusTwo, a2, Unsafe.Add(ref nc, 2), ref index, one, ref best, ref label);
            Keep(minusTwo, a3, Unsafe.Add(ref nc, 3), ref index, one, ref best, ref label);
        }

        for (; c < k; c++)
        {
            var a0 = Vector512<double>.Zero;
            for (int j = 0; j < d; j++)
            {
                a0 = Vector512.FusedMultiplyAdd(
                    Vector512.LoadUnsafe(ref x, (nuint)(j * Rows)), Vector512.Create(Unsafe.Add(ref center, (j * k) + c)), a0);
            }

            Keep(minusTwo, a0, Unsafe.Add(ref norm, c), ref index, one, ref best, ref label);
        }

        // The labels are small whole numbers, exact as doubles and as 32-bit integers.
        Avx512F.ConvertToVector256Int32WithTruncation(label).StoreUnsafe(ref MemoryMarshal.GetReference(labels));
    }

    /// <summary>
    /// Takes centre <paramref name="index"/> for the lanes where ‖c‖² − 2x·c is lower than the best so far, then moves
    /// <paramref name="index"/> on to the next centre.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(
        Vector512<double> minusTwo, Vector512<double> dot, double norm, ref Vector512<double> index, Vector512<double> one,
        ref Vector512<double> best, ref Vector512<double> label)
    {
        var distance = Vector512.FusedMultiplyAdd(minusTwo, dot, Vector512.Create(norm));
        var closer = Vector512.LessThan(distance, best);
        best = Avx512F.Min(distance, best); // vminpd: distance where it is lower, else best, as the mask.
        label = Vector512.ConditionalSelect(closer, index, label);
        index += one;
    }

    /// <summary>
    /// Labels panel <paramref name="p"/>'s eight rows with two 256-bit halves per dimension, four centres at a time:
    /// the same sums in the same order as <see cref="Assign512"/>, for machines without AVX-512.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Assign256(double[] panels, int p, int d, double[] centers, double[] norms, Span<int> labels)
    {
        int k = norms.Length;
        ref double x = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(panels), p * Rows * d);
        ref double center = ref MemoryMarshal.GetArrayDataReference(centers);
        var minusTwo = Vector256.Create(-2.0);
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
            for (int j = 0; j < d; j++)
            {
                ref double row = ref Unsafe.Add(ref x, j * Rows);
                var x0 = Vector256.LoadUnsafe(ref row);
                var x1 = Vector256.LoadUnsafe(ref row, 4);
                ref double cj = ref Unsafe.Add(ref c0, j);
                var w = Vector256.Create(cj);
                a0 = Vector256.FusedMultiplyAdd(x0, w, a0);
                a1 = Vector256.FusedMultiplyAdd(x1, w, a1);
                w = Vector256.Create(Unsafe.Add(ref cj, d));
                b0 = Vector256.FusedMultiplyAdd(x0, w, b0);
                b1 = Vector256.FusedMultiplyAdd(x1, w, b1);
                w = Vector256.Create(Unsafe.Add(ref cj, 2 * d));
                e0 = Vector256.FusedMultiplyAdd(x0, w, e0);
                e1 = Vector256.FusedMultiplyAdd(x1, w, e1);
                w = Vector256.Create(Unsafe.Add(ref cj, 3 * d));
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
                ref double row = ref Unsafe.Add(ref x, j * Rows);
                dot0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row), cj, dot0);
                dot1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 4), cj, dot1);
            }

            Keep(minusTwo, dot0, dot1, norms[c], c, ref best0, ref best1, ref label0, ref label1);
        }

        // The labels are small whole numbers, exact as doubles and as 64-bit integers.
        Vector256.Narrow(Vector256.ConvertToInt64(label0), Vector256.ConvertToInt64(label1)).StoreUnsafe(ref MemoryMarshal.GetReference(labels));
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
    /// Adds panel <paramref name="p"/>'s eight rows to their clusters' sums and counts. For each half of four rows,
    /// each 4 × 4 tile (four rows by four dimensions) is transposed into four row pieces, and row r of the four goes to
    /// copy r of the sums (<paramref name="partials"/>, width <paramref name="stride"/> per cluster), so consecutive rows
    /// of one cluster do not wait on each other's store. The copies are added up in a fixed order by <see cref="Merge"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulatePanel(double[] panels, int p, int d, int[] labels, double[] partials, long[] counts, int stride)
    {
        int k = counts.Length;
        int copy = k * stride;
        ref double panel = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(panels), p * Rows * d);
        ref double sum = ref MemoryMarshal.GetArrayDataReference(partials);
        ref int label = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(labels), p * Rows);
        int tiled = Avx.IsSupported ? d - (d % 4) : 0;
        for (int half = 0; half < Rows; half += 4)
        {
            int l0 = Unsafe.Add(ref label, half) * stride;
            int l1 = (Unsafe.Add(ref label, half + 1) * stride) + copy;
            int l2 = (Unsafe.Add(ref label, half + 2) * stride) + (2 * copy);
            int l3 = (Unsafe.Add(ref label, half + 3) * stride) + (3 * copy);
            counts[Unsafe.Add(ref label, half)]++;
            counts[Unsafe.Add(ref label, half + 1)]++;
            counts[Unsafe.Add(ref label, half + 2)]++;
            counts[Unsafe.Add(ref label, half + 3)]++;
            ref double x = ref Unsafe.Add(ref panel, half);
            int j = 0;
            for (; j < tiled; j += 4)
            {
                ref double column = ref Unsafe.Add(ref x, j * Rows);
                var c0 = Vector256.LoadUnsafe(ref column);
                var c1 = Vector256.LoadUnsafe(ref column, Rows);
                var c2 = Vector256.LoadUnsafe(ref column, 2 * Rows);
                var c3 = Vector256.LoadUnsafe(ref column, 3 * Rows);
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
                ref double column = ref Unsafe.Add(ref x, j * Rows);
                Unsafe.Add(ref sum, l0 + j) += column;
                Unsafe.Add(ref sum, l1 + j) += Unsafe.Add(ref column, 1);
                Unsafe.Add(ref sum, l2 + j) += Unsafe.Add(ref column, 2);
                Unsafe.Add(ref sum, l3 + j) += Unsafe.Add(ref column, 3);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref double target, Vector256<double> value) =>
        (Vector256.LoadUnsafe(ref target) + value).StoreUnsafe(ref target);

    /// <summary>sums[c, j] = ((copy 0 + copy 1) + copy 2) + copy 3 of <see cref="AccumulatePanel"/>'s partial sums.</summary>
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

    /// <summary>
    /// Gives each empty cluster the row farthest from its (previous) centre, farthest first and the lower row index on a
    /// tie, and takes that row out of its own cluster's sum and count. One pass keeps the farthest rows in a short list.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Relocate(double[] panels, int n, int d, double[] centers, int[] labels, double[] sums, long[] counts)
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
        Span<double> distances = stackalloc double[Rows];
        for (int start = 0; start < n; start += Rows)
        {
            int count = Math.Min(Rows, n - start);
            OwnDistances(panels, d, centers, labels, start, distances[..count]);
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
                double v = panels[StandardizedPanels.IndexOf(row, j, d)];
                sums[(old * d) + j] -= v;
                sums[(c * d) + j] = v;
            }

            counts[old]--;
            counts[c] = 1;
        }
    }

    /// <summary>The exact squared distance of rows [start, start + distances.Length) (one panel) to their own centres.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OwnDistances(double[] panels, int d, double[] centers, int[] labels, int start, Span<double> distances)
    {
        ref double panel = ref MemoryMarshal.GetArrayDataReference(panels);
        ref double center = ref MemoryMarshal.GetArrayDataReference(centers);
        int origin = start * d;
        for (int r = 0; r < distances.Length; r++)
        {
            ref double c = ref Unsafe.Add(ref center, labels[start + r] * d);
            ref double x = ref Unsafe.Add(ref panel, origin + r);
            double distance = 0.0;
            for (int j = 0; j < d; j++)
            {
                double delta = Unsafe.Add(ref x, j * Rows) - Unsafe.Add(ref c, j);
                distance = Math.FusedMultiplyAdd(delta, delta, distance);
            }

            distances[r] = distance;
        }
    }

    /// <summary>The exact squared distance of every row (padding rows included) to row <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SquaredDistances(double[] panels, int n, int d, int row, Span<double> distances)
    {
        var center = Row(panels, d, row);
        int count = (n + Rows - 1) / Rows;
        ref double x = ref MemoryMarshal.GetArrayDataReference(panels);
        ref double target = ref MemoryMarshal.GetReference(distances);
        for (int p = 0; p < count; p++)
        {
            var sum0 = Vector256<double>.Zero;
            var sum1 = Vector256<double>.Zero;
            ref double panel = ref Unsafe.Add(ref x, p * Rows * d);
            for (int j = 0; j < d; j++)
            {
                var c = Vector256.Create(center[j]);
                var delta0 = Vector256.LoadUnsafe(ref panel, (nuint)(j * Rows)) - c;
                var delta1 = Vector256.LoadUnsafe(ref panel, (nuint)((j * Rows) + 4)) - c;
                sum0 = Vector256.FusedMultiplyAdd(delta0, delta0, sum0);
                sum1 = Vector256.FusedMultiplyAdd(delta1, delta1, sum1);
            }

            sum0.StoreUnsafe(ref target, (nuint)(p * Rows));
            sum1.StoreUnsafe(ref target, (nuint)((p * Rows) + 4));
        }
    }

    /// <summary>The buffers one Lloyd run reuses across its iterations.</summary>
    private sealed class Workspace(int k, int d)
    {
        /// <summary>Gets the running sums of the rows labelled with each cluster, k × d.</summary>
        public double[] Sums { get; } = new double[k * d];

        /// <summary>Gets the running counts of the rows labelled with each cluster.</summary>
        public long[] Counts { get; } = new long[k];

        /// <summary>Gets the sums after an empty cluster's relocation, from which the centres are taken.</summary>
        public double[] Moved { get; } = new double[k * d];

        /// <summary>Gets the counts after an empty cluster's relocation.</summary>
        public long[] MovedCounts { get; } = new long[k];

        public double[] Norms { get; } = new double[k];

        /// <summary>Gets the centres d × k: coordinate j of every centre together.</summary>
        public double[] Transposed { get; } = new double[d * k];

        /// <summary>Gets the sums' row width: d rounded up to whole vectors.</summary>
        public int Stride { get; } = (d + 3) / 4 * 4;

        /// <summary>Gets four copies of the sums, k × <see cref="Stride"/> each.</summary>
        public double[] Partials { get; } = new double[4 * k * ((d + 3) / 4 * 4)];
    }

    /// <summary>What a pass does with the clusters' sums and counts.</summary>
    private enum Sums
    {
        /// <summary>Leaves them (the final assignment).</summary>
        None,

        /// <summary>Sums every row afresh (the first pass, when no row has a label yet).</summary>
        Full,

        /// <summary>Moves only the rows whose label changed from their old cluster to their new one.</summary>
        Changes,
    }
}
