using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SelfLearning.Internal;

namespace SelfLearning.Calibration;

/// <summary>
/// Isotonic calibration: the increasing step-free map that best fits the targets in weighted least
/// squares (pool-adjacent-violators), interpolated linearly between its points and clipped outside
/// the fitted score range. Fitting and prediction match scikit-learn 1.2's
/// <c>IsotonicRegression(increasing=True, out_of_bounds="clip")</c>: scores within 1e-15 of each
/// other are one tied point with the weighted mean target, and interior points of a flat run are dropped.
/// </summary>
public sealed class IsotonicCalibrator : ICalibrator
{
    private const int BucketsPerThreshold = 64;
    private const int MinBuckets = 64;
    private const int MaxBuckets = 1 << 17;

    private readonly double[] _thresholds;
    private readonly double[] _values;
    private readonly double[] _slopes;
    private readonly double[] _paddedThresholds;
    private readonly int[] _buckets;
    private readonly double _bucketScale;

    private IsotonicCalibrator(double[] thresholds, double[] values)
    {
        _thresholds = thresholds;
        _values = values;
        int m = thresholds.Length;

        // numpy.interp's slope, so interpolated values agree with scikit-learn bit for bit. The last
        // entry is never used in a product (only a score equal to the last threshold lands there).
        _slopes = new double[m];
        for (int j = 0; j < m - 1; j++)
        {
            _slopes[j] = (values[j + 1] - values[j]) / (thresholds[j + 1] - thresholds[j]);
        }

        // The thresholds followed by +∞, so a search for the last threshold ≤ a score needs no end check.
        _paddedThresholds = new double[m + 1];
        thresholds.CopyTo(_paddedThresholds, 0);
        _paddedThresholds[m] = double.PositiveInfinity;

        (_buckets, _bucketScale) = BuildBuckets(thresholds);
    }

    /// <inheritdoc />
    public CalibrationMethod Method => CalibrationMethod.Isotonic;

    /// <summary>Gets the fitted scores, strictly increasing (scikit-learn's <c>X_thresholds_</c>).</summary>
    public ReadOnlySpan<double> Thresholds => _thresholds;

    /// <summary>Gets the fitted probability at each threshold, non-decreasing (scikit-learn's <c>y_thresholds_</c>).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Fits the calibrator to scores and their labels, each case with weight 1.</summary>
    /// <param name="scores">Scores; any finite numbers.</param>
    /// <param name="labels">Whether each case is positive; both classes must occur.</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">The spans are empty or of different lengths, a score is not finite, or only one class occurs.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, labels);
        Guard.AllFinite(scores);
        Guard.BothClasses(labels);
        var (thresholds, values) = IsotonicRegression.Fit(scores, labels);
        return new IsotonicCalibrator(thresholds, values);
    }

    /// <summary>Fits the calibrator to weighted scores and their labels; zero-weight cases are ignored.</summary>
    /// <param name="scores">Scores; any finite numbers.</param>
    /// <param name="labels">Whether each case is positive; both classes must occur.</param>
    /// <param name="weights">Finite non-negative weight of each case; at least one positive.</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">Empty or mismatched spans, a score not finite, a weight negative or not finite, all weights zero, or only one class.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, ReadOnlySpan<double> weights)
    {
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, labels);
        Guard.SameLength(scores, weights);
        Guard.AllFinite(scores);
        Guard.AllNonNegativeFinite(weights);
        Guard.BothClasses(labels);
        RequireSomeWeight(weights);
        var targets = new double[labels.Length];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = labels[i] ? 1.0 : 0.0;
        }

        var (thresholds, values) = IsotonicRegression.Fit(scores, targets, weights);
        return new IsotonicCalibrator(thresholds, values);
    }

    /// <summary>
    /// Fits the calibrator to weighted scores and soft targets (e.g. the share of reviewers who
    /// confirmed a case); zero-weight cases are ignored.
    /// </summary>
    /// <param name="scores">Scores; any finite numbers.</param>
    /// <param name="targets">The probability each case is positive, in [0, 1].</param>
    /// <param name="weights">Finite non-negative weight of each case; at least one positive.</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">Empty or mismatched spans, a score not finite, a target outside [0, 1], a weight negative or not finite, or all weights zero.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights)
    {
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, targets);
        Guard.SameLength(scores, weights);
        Guard.AllFinite(scores);
        Guard.AllProbabilities(targets);
        Guard.AllNonNegativeFinite(weights);
        RequireSomeWeight(weights);
        var (thresholds, values) = IsotonicRegression.Fit(scores, targets, weights);
        return new IsotonicCalibrator(thresholds, values);
    }

    /// <inheritdoc />
    /// <remarks>Scores outside the fitted range get the value at the nearest end.</remarks>
    public double Calibrate(double score)
    {
        double clipped = Clip(Guard.Finite(score), _thresholds[0], _thresholds[^1]);
        ref double x0 = ref MemoryMarshal.GetArrayDataReference(_paddedThresholds);
        ref double y0 = ref MemoryMarshal.GetArrayDataReference(_values);
        ref double slope0 = ref MemoryMarshal.GetArrayDataReference(_slopes);
        return _buckets.Length == 0
            ? InterpolateAt(Search(ref x0, 0, _thresholds.Length - 1, clipped), clipped, ref x0, ref y0, ref slope0)
            : Interpolate(clipped, ref x0, ref y0, ref slope0, ref MemoryMarshal.GetArrayDataReference(_buckets), _bucketScale);
    }

    /// <inheritdoc />
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        Guard.SameLengthDestination(scores.Length, destination.Length, nameof(scores));
        ref double s0 = ref MemoryMarshal.GetReference(scores);
        ref double d0 = ref MemoryMarshal.GetReference(destination);
        ref double x0 = ref MemoryMarshal.GetArrayDataReference(_paddedThresholds);
        ref double y0 = ref MemoryMarshal.GetArrayDataReference(_values);
        ref double slope0 = ref MemoryMarshal.GetArrayDataReference(_slopes);
        double lowest = _thresholds[0];
        double highest = _thresholds[^1];
        if (_buckets.Length == 0)
        {
            int last = _thresholds.Length - 1;
            for (int i = 0; i < scores.Length; i++)
            {
                double s = Unsafe.Add(ref s0, i);
                if (!double.IsFinite(s))
                {
                    Guard.ThrowNotFinite(s, i, nameof(scores));
                }

                double clipped = Clip(s, lowest, highest);
                Unsafe.Add(ref d0, i) = InterpolateAt(Search(ref x0, 0, last, clipped), clipped, ref x0, ref y0, ref slope0);
            }

            return;
        }

        ref int bucket0 = ref MemoryMarshal.GetArrayDataReference(_buckets);
        double scale = _bucketScale;
        for (int i = 0; i < scores.Length; i++)
        {
            double s = Unsafe.Add(ref s0, i);
            if (!double.IsFinite(s))
            {
                Guard.ThrowNotFinite(s, i, nameof(scores));
            }

            Unsafe.Add(ref d0, i) = Interpolate(Clip(s, lowest, highest), ref x0, ref y0, ref slope0, ref bucket0, scale);
        }
    }

    internal static IsotonicCalibrator Restore(double[] thresholds, double[] values) => new(thresholds, values);

    private static void RequireSomeWeight(ReadOnlySpan<double> weights)
    {
        foreach (double w in weights)
        {
            if (w > 0.0)
            {
                return;
            }
        }

        throw new ArgumentException("'weights' are all zero; at least one case must have a positive weight.", nameof(weights));
    }

    /// <summary>
    /// A lookup table over [first, last] threshold in equal-width buckets, and the factor that maps a
    /// clipped score to its bucket. Entry b is the index of the last threshold below bucket b, made
    /// negative (bitwise complement) when a threshold lies in bucket b itself; one entry more than
    /// the last bucket closes the table. With many more buckets than thresholds nearly every score
    /// falls in a bucket with no threshold, whose entry is the answer: no search and no branch that
    /// depends on the score. Returns an empty table when the range is too wide or too narrow to
    /// divide in doubles; every score is then found by binary search.
    /// </summary>
    private static (int[] Buckets, double Scale) BuildBuckets(double[] thresholds)
    {
        int m = thresholds.Length;
        double range = thresholds[m - 1] - thresholds[0];
        int count = (int)Math.Clamp(BucketsPerThreshold * (long)m, MinBuckets, MaxBuckets);
        double scale = count / range;
        if (m < 2 || !double.IsFinite(scale) || !(scale > 0.0))
        {
            return ([], 0.0);
        }

        // Bucket() is monotone in the score, so no clipped score maps beyond the last threshold's bucket.
        int last = Bucket(thresholds[m - 1], thresholds[0], scale);
        var below = new int[last + 2];
        int j = 0;
        for (int b = 0; b <= last + 1; b++)
        {
            // Advance j to the last threshold whose bucket is before b.
            while (j + 1 < m && Bucket(thresholds[j + 1], thresholds[0], scale) < b)
            {
                j++;
            }

            below[b] = j;
        }

        // Bucket b holds a threshold when the last one before bucket b + 1 is a later one; bucket 0
        // always holds the first. Entry b + 1 is still unflagged when bucket b is looked at.
        for (int b = 0; b <= last; b++)
        {
            below[b] = b == 0 || below[b + 1] > below[b] ? ~below[b] : below[b];
        }

        return (below, scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(double clipped, double origin, double scale)
    {
        double position = (clipped - origin) * scale;
        // Within [0, last bucket] by construction, where the native conversion is exact truncation.
        return double.ConvertToIntegerNative<int>(position);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Clip(double score, double lowest, double highest)
    {
        return double.MinNative(double.MaxNative(score, lowest), highest);
    }

    /// <summary>numpy.interp on a clipped score, as scipy's <c>interp1d</c> does for scikit-learn.</summary>
    /// <remarks>
    /// Indexes through references: every index is in range by construction (the score is clipped to
    /// [first, last threshold], so its bucket is within the table, and the table holds threshold
    /// indices), and skipping the bounds checks is a large share of a lookup's cost.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Interpolate(double clipped, ref double x0, ref double y0, ref double slope0, ref int bucket0, double scale)
    {
        int b = Bucket(clipped, x0, scale);
        int j = Unsafe.Add(ref bucket0, b);
        if (j >= 0)
        {
            // No threshold in this bucket, so x[j] < score < x[j + 1]: numpy's own expression.
            return (Unsafe.Add(ref slope0, j) * (clipped - Unsafe.Add(ref x0, j))) + Unsafe.Add(ref y0, j);
        }

        // A threshold lies in the bucket (rare with many buckets): search up to the last threshold
        // before the next bucket.
        int next = Unsafe.Add(ref bucket0, b + 1);
        return InterpolateAt(Search(ref x0, ~j, next < 0 ? ~next : next, clipped), clipped, ref x0, ref y0, ref slope0);
    }

    /// <summary>numpy.interp's value at a clipped score whose last threshold at or below it is <paramref name="j"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double InterpolateAt(int j, double clipped, ref double x0, ref double y0, ref double slope0)
    {
        double xj = Unsafe.Add(ref x0, j);
        double yj = Unsafe.Add(ref y0, j);
        return xj == clipped ? yj : (Unsafe.Add(ref slope0, j) * (clipped - xj)) + yj;
    }

    /// <summary>The last index in [<paramref name="lo"/>, <paramref name="hi"/>] whose threshold is ≤ the score, given x[lo] ≤ score.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Search(ref double x0, int lo, int hi, double score)
    {
        if (hi - lo > 8)
        {
            while (lo < hi)
            {
                int mid = (lo + hi + 1) >> 1;
                if (Unsafe.Add(ref x0, mid) <= score)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return lo;
        }

        // The padding +∞ after the last threshold stops this walk.
        while (Unsafe.Add(ref x0, lo + 1) <= score)
        {
            lo++;
        }

        return lo;
    }
}
