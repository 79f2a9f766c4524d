using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SelfLearning.Calibration;

/// <summary>
/// Isotonic (increasing) regression exactly as scikit-learn 1.2's
/// <c>IsotonicRegression(increasing=True)._build_y</c>: drop zero weights, sort by x, merge x values
/// closer than 1e-15 into one point with the weighted mean target (<c>_make_unique</c>), run
/// pool-adjacent-violators (<c>_inplace_contiguous_isotonic_regression</c>, ties pooled), and keep
/// only the points where the fitted value changes. Hand-written: no available .NET library has it.
/// Scratch arrays come from <see cref="ArrayPool{T}.Shared"/>, so repeated fits do not churn the large-object heap.
/// </summary>
internal static class IsotonicRegression
{
    /// <summary>x values closer than this to the first x of a run are one point (numpy's float64 resolution, as sklearn).</summary>
    private const double TieResolution = 1e-15;

    /// <summary>Buckets holding at most this many points are sorted by insertion.</summary>
    private const int InsertionSortLimit = 32;

    /// <summary>The bucket sort aims at this many points per bucket.</summary>
    private const int PointsPerBucket = 2;

    /// <summary>A case with a target and a weight; implemented by structs so the generic code specialises.</summary>
    internal interface IPoint
    {
        /// <summary>Gets the target y.</summary>
        double Target { get; }

        /// <summary>Gets the weight w.</summary>
        double Weight { get; }
    }

    /// <summary>Fits the regression to labelled cases of weight 1.</summary>
    /// <remarks>The labels are read in place as <see cref="LabelPoint"/>s (a one-byte struct over the <see cref="bool"/>): no copy.</remarks>
    public static (double[] Thresholds, double[] Values) Fit(ReadOnlySpan<double> x, ReadOnlySpan<bool> labels) =>
        Fit(x, MemoryMarshal.Cast<bool, LabelPoint>(labels));

    /// <summary>Fits the regression to cases with targets and weights; zero-weight cases are dropped first.</summary>
    public static (double[] Thresholds, double[] Values) Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w)
    {
        var keys = ArrayPool<double>.Shared.Rent(x.Length);
        var points = ArrayPool<WeightedPoint>.Shared.Rent(x.Length);
        try
        {
            int n = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (w[i] > 0.0)
                {
                    keys[n] = x[i];
                    points[n++] = new WeightedPoint(y[i], w[i]);
                }
            }

            return Fit(keys.AsSpan(0, n), points.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(keys);
            ArrayPool<WeightedPoint>.Shared.Return(points);
        }
    }

    private static (double[] Thresholds, double[] Values) Fit<T>(ReadOnlySpan<double> x, ReadOnlySpan<T> points)
        where T : struct, IPoint
    {
        int n = x.Length;
        var sortedX = ArrayPool<double>.Shared.Rent(n);
        var sortedPoints = ArrayPool<T>.Shared.Rent(n);
        var y = ArrayPool<double>.Shared.Rent(n);
        var w = ArrayPool<double>.Shared.Rent(n);
        try
        {
            BucketSort(x, points, sortedX, sortedPoints);
            int m = MakeUnique(sortedX.AsSpan(0, n), sortedPoints.AsSpan(0, n), y, w);
            PoolAdjacentViolators(y.AsSpan(0, m), w.AsSpan(0, m));
            return Trim(sortedX.AsSpan(0, m), y.AsSpan(0, m));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sortedX);
            ArrayPool<T>.Shared.Return(sortedPoints);
            ArrayPool<double>.Shared.Return(y);
            ArrayPool<double>.Shared.Return(w);
        }
    }

    /// <summary>
    /// Sorts the cases by x into <paramref name="sortedX"/> and <paramref name="sortedPoints"/> (stable among equal x).
    /// A bucket sort on the x range, each bucket then sorted by insertion (or by
    /// <see cref="Array.Sort{TKey, TValue}(TKey[], TValue[], int, int)"/> when large): the bucket index is a
    /// monotone function of x, so concatenated buckets are in order. On continuous scores this is O(n),
    /// several times faster than a comparison sort of a million keys.
    /// </summary>
    internal static void BucketSort<T>(ReadOnlySpan<double> x, ReadOnlySpan<T> points, double[] sortedX, T[] sortedPoints)
    {
        int n = x.Length;
        if (n == 0)
        {
            return;
        }

        var (min, max) = Range(x);
        int buckets = Math.Max(n / PointsPerBucket, 1);
        double scale = buckets / (max - min);
        if (!double.IsFinite(scale))
        {
            // One distinct value, or a range so wide it overflows: a plain stable-enough comparison sort.
            x.CopyTo(sortedX);
            points.CopyTo(sortedPoints);
            Array.Sort(sortedX, sortedPoints, 0, n);
            return;
        }

        var end = ArrayPool<int>.Shared.Rent(buckets + 1);
        try
        {
            Array.Clear(end, 0, buckets + 1);
            for (int i = 0; i < n; i++)
            {
                end[Math.Min((int)((x[i] - min) * scale), buckets - 1) + 1]++;
            }

            for (int b = 0; b < buckets; b++)
            {
                end[b + 1] += end[b];
            }

            // end[b] is now bucket b's start; placing a case advances it, leaving it at bucket b's end.
            for (int i = 0; i < n; i++)
            {
                int to = end[Math.Min((int)((x[i] - min) * scale), buckets - 1)]++;
                sortedX[to] = x[i];
                sortedPoints[to] = points[i];
            }

            int from = 0;
            for (int b = 0; b < buckets; b++)
            {
                int count = end[b] - from;
                if (count > InsertionSortLimit)
                {
                    Array.Sort(sortedX, sortedPoints, from, count);
                }
                else if (count > 1)
                {
                    InsertionSort(sortedX, sortedPoints, from, from + count);
                }

                from = end[b];
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(end);
        }
    }

    /// <summary>The smallest and largest of finite values, four lanes at a time where the hardware allows.</summary>
    private static (double Min, double Max) Range(ReadOnlySpan<double> x)
    {
        double min = x[0], max = x[0];
        int i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<double>.Count)
        {
            ref double x0 = ref MemoryMarshal.GetReference(x);
            Vector256<double> low = Vector256.Create(min), high = low;
            for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                Vector256<double> v = Vector256.LoadUnsafe(ref x0, (nuint)i);
                low = Vector256.MinNative(low, v);
                high = Vector256.MaxNative(high, v);
            }

            for (int lane = 0; lane < Vector256<double>.Count; lane++)
            {
                min = Math.Min(min, low[lane]);
                max = Math.Max(max, high[lane]);
            }
        }

        for (; i < x.Length; i++)
        {
            min = Math.Min(min, x[i]);
            max = Math.Max(max, x[i]);
        }

        return (min, max);
    }

    private static void InsertionSort<T>(double[] x, T[] points, int from, int to)
    {
        for (int i = from + 1; i < to; i++)
        {
            double key = x[i];
            T point = points[i];
            int j = i - 1;
            while (j >= from && x[j] > key)
            {
                x[j + 1] = x[j];
                points[j + 1] = points[j];
                j--;
            }

            x[j + 1] = key;
            points[j + 1] = point;
        }
    }

    /// <summary>
    /// sklearn's <c>_make_unique</c>: runs of x within 1e-15 of the run's first x become one point
    /// with the weighted mean target. Writes the points' x over <paramref name="x"/>.
    /// </summary>
    private static int MakeUnique<T>(Span<double> x, ReadOnlySpan<T> points, Span<double> y, Span<double> w)
        where T : struct, IPoint
    {
        int m = 0;
        double currentX = x[0], sumWy = 0.0, sumW = 0.0;
        for (int j = 0; j < x.Length; j++)
        {
            double xj = x[j], wj = points[j].Weight, yj = points[j].Target;
            if (xj - currentX >= TieResolution)
            {
                x[m] = currentX;
                w[m] = sumW;
                y[m] = sumWy / sumW;
                m++;
                currentX = xj;
                sumW = wj;
                sumWy = yj * wj;
            }
            else
            {
                sumW += wj;
                sumWy += yj * wj;
            }
        }

        x[m] = currentX;
        w[m] = sumW;
        y[m] = sumWy / sumW;
        return m + 1;
    }

    /// <summary>
    /// sklearn's <c>_inplace_contiguous_isotonic_regression</c>, step for step: blocks are tracked by
    /// <c>target</c> (target[i] = j and target[j] = i for an active block [i..j]); a non-increasing run
    /// is pooled (so equal neighbours are pooled), then the scan backtracks one block. O(n).
    /// </summary>
    internal static void PoolAdjacentViolators(Span<double> y, Span<double> w)
    {
        int n = y.Length;
        var rented = ArrayPool<int>.Shared.Rent(n);
        try
        {
            Span<int> target = rented.AsSpan(0, n);
            for (int t = 0; t < n; t++)
            {
                target[t] = t;
            }

            int i = 0;
            while (i < n)
            {
                int k = target[i] + 1;
                if (k == n)
                {
                    break;
                }

                if (y[i] < y[k])
                {
                    i = k;
                    continue;
                }

                double sumWy = w[i] * y[i];
                double sumW = w[i];
                while (true)
                {
                    double previousY = y[k];
                    sumWy += w[k] * y[k];
                    sumW += w[k];
                    k = target[k] + 1;
                    if (k == n || previousY < y[k])
                    {
                        y[i] = sumWy / sumW;
                        w[i] = sumW;
                        target[i] = k - 1;
                        target[k - 1] = i;
                        if (i > 0)
                        {
                            i = target[i - 1];
                        }

                        break;
                    }
                }
            }

            i = 0;
            while (i < n)
            {
                int k = target[i] + 1;
                y.Slice(i + 1, k - i - 1).Fill(y[i]);
                i = k;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>Keeps the ends and every point whose value differs from a neighbour's (sklearn's <c>trim_duplicates</c>).</summary>
    /// <remarks>
    /// One pass, compacting the kept points to the front of <paramref name="x"/> and <paramref name="y"/>: a point is
    /// written at an index no later than its own, so y[i + 1] is not yet overwritten when point i is tested, and the
    /// original y[i − 1] is remembered.
    /// </remarks>
    private static (double[] Thresholds, double[] Values) Trim(Span<double> x, Span<double> y)
    {
        int m = x.Length;
        int kept = 0;
        double previous = y[0];
        for (int i = 0; i < m; i++)
        {
            double current = y[i];
            if (i == 0 || i == m - 1 || current != previous || current != y[i + 1])
            {
                x[kept] = x[i];
                y[kept] = current;
                kept++;
            }

            previous = current;
        }

        return (x[..kept].ToArray(), y[..kept].ToArray());
    }

    /// <summary>A labelled case: target 1 or 0, weight 1.</summary>
    internal readonly record struct LabelPoint(bool Label) : IPoint
    {
        public double Target => Label ? 1.0 : 0.0;

        public double Weight => 1.0;
    }

    /// <summary>A case with an explicit target and weight.</summary>
    internal readonly record struct WeightedPoint(double Target, double Weight) : IPoint;
}
