namespace SelfLearning.Calibration;

/// <summary>
/// Isotonic (increasing) regression exactly as scikit-learn 1.2's
/// <c>IsotonicRegression(increasing=True)._build_y</c>: drop zero weights, sort by (x, y), merge
/// x values closer than 1e-15 into one point with the weighted mean target (<c>_make_unique</c>), run
/// pool-adjacent-violators (<c>_inplace_contiguous_isotonic_regression</c>, ties pooled), and keep
/// only the points where the fitted value changes. Hand-written: no available .NET library has it.
/// </summary>
internal static class IsotonicRegression
{
    /// <summary>x values closer than this to the first x of a run are one point (numpy's float64 resolution, as sklearn).</summary>
    private const double TieResolution = 1e-15;

    /// <summary>Buckets holding at most this many points are sorted by insertion.</summary>
    private const int InsertionSortLimit = 24;

    /// <summary>Fits the regression; <paramref name="x"/>, <paramref name="y"/> and <paramref name="w"/> are consumed (reordered).</summary>
    /// <param name="x">Finite inputs.</param>
    /// <param name="y">Finite targets.</param>
    /// <param name="w">Non-negative weights with at least one positive.</param>
    /// <returns>The strictly increasing thresholds and their non-decreasing fitted values.</returns>
    public static (double[] Thresholds, double[] Values) Fit(double[] x, double[] y, double[] w)
    {
        int n = DropZeroWeights(x, y, w);
        SortByKey(x, y, w, n);
        int m = MakeUnique(x, y, w, n);
        PoolAdjacentViolators(y.AsSpan(0, m), w.AsSpan(0, m));
        return Trim(x.AsSpan(0, m), y.AsSpan(0, m));
    }

    private static int DropZeroWeights(double[] x, double[] y, double[] w)
    {
        int kept = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (w[i] > 0.0)
            {
                x[kept] = x[i];
                y[kept] = y[i];
                w[kept] = w[i];
                kept++;
            }
        }

        return kept;
    }

    /// <summary>
    /// Sorts the first <paramref name="n"/> triples by (x, y). A bucket sort on the x range, each
    /// bucket then sorted by insertion (or by <see cref="Array.Sort{T}(T[], int, int, IComparer{T})"/> when large):
    /// the bucket index is a monotone function of x, so concatenated buckets are in order. On
    /// continuous scores this is O(n), several times faster than a comparison sort of a million keys.
    /// </summary>
    internal static void SortByKey(double[] x, double[] y, double[] w, int n)
    {
        if (n < 2)
        {
            return;
        }

        double min = x[0], max = x[0];
        for (int i = 1; i < n; i++)
        {
            double v = x[i];
            if (v < min)
            {
                min = v;
            }
            else if (v > max)
            {
                max = v;
            }
        }

        int buckets = n;
        double scale = buckets / (max - min);
        if (!double.IsFinite(scale) || scale <= 0.0)
        {
            SortLarge(x, y, w, 0, n);
            return;
        }

        var bucketOf = new int[n];
        var start = new int[buckets + 1];
        for (int i = 0; i < n; i++)
        {
            int b = Math.Min((int)((x[i] - min) * scale), buckets - 1);
            bucketOf[i] = b;
            start[b + 1]++;
        }

        for (int b = 0; b < buckets; b++)
        {
            start[b + 1] += start[b];
        }

        var sx = new double[n];
        var sy = new double[n];
        var sw = new double[n];
        var next = (int[])start.Clone();
        for (int i = 0; i < n; i++)
        {
            int to = next[bucketOf[i]]++;
            sx[to] = x[i];
            sy[to] = y[i];
            sw[to] = w[i];
        }

        for (int b = 0; b < buckets; b++)
        {
            int from = start[b], count = start[b + 1] - from;
            if (count <= 1)
            {
                continue;
            }

            if (count <= InsertionSortLimit)
            {
                InsertionSort(sx, sy, sw, from, from + count);
            }
            else
            {
                SortLarge(sx, sy, sw, from, count);
            }
        }

        Array.Copy(sx, x, n);
        Array.Copy(sy, y, n);
        Array.Copy(sw, w, n);
    }

    private static void InsertionSort(double[] x, double[] y, double[] w, int from, int to)
    {
        for (int i = from + 1; i < to; i++)
        {
            double kx = x[i], ky = y[i], kw = w[i];
            int j = i - 1;
            while (j >= from && (x[j] > kx || (x[j] == kx && y[j] > ky)))
            {
                x[j + 1] = x[j];
                y[j + 1] = y[j];
                w[j + 1] = w[j];
                j--;
            }

            x[j + 1] = kx;
            y[j + 1] = ky;
            w[j + 1] = kw;
        }
    }

    private static void SortLarge(double[] x, double[] y, double[] w, int from, int count)
    {
        var entries = new Entry[count];
        for (int i = 0; i < count; i++)
        {
            entries[i] = new Entry(x[from + i], y[from + i], w[from + i]);
        }

        Array.Sort(entries, EntryComparer.Instance);
        for (int i = 0; i < count; i++)
        {
            x[from + i] = entries[i].X;
            y[from + i] = entries[i].Y;
            w[from + i] = entries[i].W;
        }
    }

    /// <summary>sklearn's <c>_make_unique</c>: runs of x within 1e-15 of the run's first x become one weighted point.</summary>
    private static int MakeUnique(double[] x, double[] y, double[] w, int n)
    {
        int m = 0;
        double currentX = x[0], sumWy = 0.0, sumW = 0.0;
        for (int j = 0; j < n; j++)
        {
            double xj = x[j];
            if (xj - currentX >= TieResolution)
            {
                x[m] = currentX;
                w[m] = sumW;
                y[m] = sumWy / sumW;
                m++;
                currentX = xj;
                sumW = w[j];
                sumWy = y[j] * w[j];
            }
            else
            {
                sumW += w[j];
                sumWy += y[j] * w[j];
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
        var target = new int[n];
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

    /// <summary>Keeps the ends and every point whose value differs from a neighbour's (sklearn's <c>trim_duplicates</c>).</summary>
    private static (double[] Thresholds, double[] Values) Trim(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int m = x.Length;
        int kept = 0;
        Span<bool> keep = m <= 1024 ? stackalloc bool[m] : new bool[m];
        for (int i = 0; i < m; i++)
        {
            keep[i] = i == 0 || i == m - 1 || y[i] != y[i - 1] || y[i] != y[i + 1];
            if (keep[i])
            {
                kept++;
            }
        }

        var thresholds = new double[kept];
        var values = new double[kept];
        int to = 0;
        for (int i = 0; i < m; i++)
        {
            if (keep[i])
            {
                thresholds[to] = x[i];
                values[to] = y[i];
                to++;
            }
        }

        return (thresholds, values);
    }

    private readonly record struct Entry(double X, double Y, double W);

    private sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(Entry a, Entry b)
        {
            int byX = a.X.CompareTo(b.X);
            return byX != 0 ? byX : a.Y.CompareTo(b.Y);
        }
    }
}
