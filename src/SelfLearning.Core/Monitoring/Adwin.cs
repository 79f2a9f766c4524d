using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// ADWIN, the adaptive sliding window of Bifet and Gavaldà ("Learning from time-changing data with adaptive
/// windowing", SIAM SDM 2007; the ADWIN2 variant). The window keeps every point since the last change,
/// compressed into an exponential histogram: buckets of 1, 2, 4, … points, at most
/// <c>M</c> = 5 of each size, each holding its count, sum and sum of squared deviations, so memory and
/// time are O(M·log W). Every 32 points it tries each split of the window into an older part W₀ and a
/// newer part W₁ at a bucket boundary, and drops the oldest bucket while some split has
/// |μ̂₀ − μ̂₁| &gt; ε_cut, with the Bernstein-type bound of the paper (section 4),
/// ε_cut = √(2·σ²_W·ln(2 ln W / δ) / m) + 2·ln(2 ln W / δ) / (3m), 1/m = 1/(n₀ − 4) + 1/(n₁ − 4),
/// σ²_W the window's variance (river's and MOA's form; sub-windows hold at least 5 points). Hence the
/// known behaviour: on a stationary stream the width grows without bound, and after a change the window
/// shrinks to about the points since the change, its mean then tracking the new mean.
/// Written by hand because no package available here (MathNet.Numerics included) provides change
/// detectors; defaults follow the paper and river's <c>ADWIN</c>. Not thread-safe: one writer at a time.
/// </summary>
internal sealed class Adwin
{
    private const int Clock = MonitoringConstants.DefaultAdwinClock;
    private const int MaxBucketsPerSize = MonitoringConstants.DefaultAdwinMaxBucketsPerSize;
    private const int MinimumSubWindow = MonitoringConstants.DefaultAdwinMinimumSubWindow;

    // The window is not tested until it holds more than this many points (river's grace period).
    private const int GracePeriod = 10;

    // Oldest first; sizes are powers of two and never increase towards the newest.
    private readonly List<Bucket> buckets = [];
    private double total;
    private double squaredDeviations;
    private long ticks;

    /// <summary>Initializes a new instance of the <see cref="Adwin"/> class.</summary>
    /// <param name="delta">δ, the confidence: the bound on a false cut's probability, in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is outside (0, 1) or NaN.</exception>
    public Adwin(double delta = MonitoringConstants.DefaultAdwinDelta) => Delta = Guard.InOpenRange(delta, 0.0, 1.0);

    /// <summary>Gets δ, the confidence.</summary>
    public double Delta { get; }

    /// <summary>Gets the number of points in the window, W.</summary>
    public long Width { get; private set; }

    /// <summary>Gets the window's mean (0 while it is empty).</summary>
    public double Mean => Width == 0 ? 0.0 : total / Width;

    /// <summary>Gets the window's population variance (0 while it is empty).</summary>
    public double Variance => Width == 0 ? 0.0 : squaredDeviations / Width;

    /// <summary>Gets the number of buckets holding the window (O(M·log W)).</summary>
    public int BucketCount => buckets.Count;

    /// <summary>Gets the number of times the window was cut.</summary>
    public long ChangesDetected { get; private set; }

    /// <summary>Adds a point and, every 32 points, cuts the window where its two parts' means differ.</summary>
    /// <param name="value">The point (finite), e.g. 1 for an error and 0 for a correct prediction.</param>
    /// <returns><see langword="true"/> when the window was cut (a change was detected).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public bool Add(double value)
    {
        Guard.Finite(value);
        if (Width > 0)
        {
            // Welford's update of the sum of squared deviations: W·(x − μ)²/(W + 1).
            double deviation = value - (total / Width);
            squaredDeviations += Width * deviation * deviation / (Width + 1);
        }

        Width++;
        total += value;
        buckets.Add(new Bucket(1, value, 0.0));
        Compress();

        ticks++;
        if (ticks % Clock != 0 || Width <= GracePeriod)
        {
            return false;
        }

        bool changed = false;
        while (TryFindCut())
        {
            changed = true;
            DropOldestBucket();
        }

        if (changed)
        {
            ChangesDetected++;
        }

        return changed;
    }

    private static Bucket Merge(Bucket older, Bucket newer)
    {
        long count = older.Count + newer.Count;
        double difference = older.Mean - newer.Mean;
        return new Bucket(
            count,
            older.Total + newer.Total,
            older.SquaredDeviations + newer.SquaredDeviations + (older.Count * newer.Count * difference * difference / count));
    }

    // Keeps at most M buckets of each size by merging the two oldest of a size into one of twice the size.
    private void Compress()
    {
        int end = buckets.Count;
        long size = 1;
        while (true)
        {
            int start = end;
            while (start > 0 && buckets[start - 1].Count == size)
            {
                start--;
            }

            if (end - start <= MaxBucketsPerSize)
            {
                return;
            }

            buckets[start] = Merge(buckets[start], buckets[start + 1]);
            buckets.RemoveAt(start + 1);
            end = start + 1;
            size *= 2;
        }
    }

    // Tries every split at a bucket boundary, from the oldest.
    private bool TryFindCut()
    {
        double variance = Variance;
        double logTerm = Math.Log(2.0 * Math.Log(Width) / Delta);
        long n0 = 0;
        long n1 = Width;
        double sum0 = 0.0;
        double sum1 = total;
        for (int k = 0; k < buckets.Count - 1; k++)
        {
            Bucket bucket = buckets[k];
            n0 += bucket.Count;
            n1 -= bucket.Count;
            sum0 += bucket.Total;
            sum1 -= bucket.Total;
            if (n0 < MinimumSubWindow || n1 < MinimumSubWindow)
            {
                continue;
            }

            double reciprocal = (1.0 / (n0 - MinimumSubWindow + 1)) + (1.0 / (n1 - MinimumSubWindow + 1));
            double epsilon = Math.Sqrt(2.0 * reciprocal * variance * logTerm) + (2.0 / 3.0 * logTerm * reciprocal);
            if (Math.Abs((sum0 / n0) - (sum1 / n1)) > epsilon)
            {
                return true;
            }
        }

        return false;
    }

    private void DropOldestBucket()
    {
        Bucket oldest = buckets[0];
        buckets.RemoveAt(0);
        Width -= oldest.Count;
        total -= oldest.Total;
        if (Width == 0)
        {
            squaredDeviations = 0.0;
            return;
        }

        // The inverse of merging the oldest bucket with the rest of the window.
        double difference = oldest.Mean - (total / Width);
        squaredDeviations -= oldest.SquaredDeviations + (oldest.Count * Width * difference * difference / (oldest.Count + Width));
        squaredDeviations = Math.Max(squaredDeviations, 0.0);
    }

    private readonly record struct Bucket(long Count, double Total, double SquaredDeviations)
    {
        public double Mean => Total / Count;
    }
}
