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
    private const int BucketsPerThreshold = 16;
    private const int MinBuckets = 64;
    private const int MaxBuckets = 1 << 16;

    private readonly double[] _thresholds;
    private readonly double[] _values;
    private readonly double[] _slopes;
    private readonly int[] _lastBelow;
    private readonly double _bucketScale;
    private readonly int _bucketCount;

    private IsotonicCalibrator(double[] thresholds, double[] values)
    {
        _thresholds = thresholds;
        _values = values;
        int m = thresholds.Length;
        _slopes = new double[Math.Max(m - 1, 0)];
        for (int j = 0; j < m - 1; j++)
        {
            // numpy.interp's slope, so interpolated values agree with scikit-learn bit for bit.
            _slopes[j] = (values[j + 1] - values[j]) / (thresholds[j + 1] - thresholds[j]);
        }

        // A lookup table over [first, last] threshold: for a score in bucket b the last threshold ≤ score
        // lies between _lastBelow[b] and _lastBelow[b + 1]. With many more buckets than thresholds
        // these are usually equal, so a lookup costs no search and no mispredicted branch.
        _bucketCount = Math.Clamp(BucketsPerThreshold * m, MinBuckets, MaxBuckets);
        double range = m > 1 ? thresholds[m - 1] - thresholds[0] : 0.0;
        double scale = _bucketCount / range;
        _bucketScale = double.IsFinite(scale) ? scale : 0.0;
        var first = new int[_bucketCount + 1];
        for (int j = 0; j < m; j++)
        {
            first[Bucket(thresholds[j], thresholds[0], _bucketScale, _bucketCount) + 1]++;
        }

        for (int b = 0; b < _bucketCount; b++)
        {
            first[b + 1] += first[b];
        }

        _lastBelow = new int[_bucketCount + 1];
        for (int b = 0; b <= _bucketCount; b++)
        {
            _lastBelow[b] = Math.Max(first[b] - 1, 0);
        }
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
    public double Calibrate(double score) =>
        Interpolate(Guard.Finite(score), _thresholds, _values, _slopes, _lastBelow, _bucketScale, _bucketCount);

    /// <inheritdoc />
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        Guard.SameLengthDestination(scores.Length, destination.Length, nameof(scores));
        double[] xs = _thresholds, ys = _values, slopes = _slopes;
        int[] lastBelow = _lastBelow;
        double scale = _bucketScale;
        int buckets = _bucketCount;
        ref double s0 = ref MemoryMarshal.GetReference(scores);
        ref double d0 = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < scores.Length; i++)
        {
            double s = Unsafe.Add(ref s0, i);
            if (!double.IsFinite(s))
            {
                Guard.ThrowNotFinite(s, i, nameof(scores));
            }

            Unsafe.Add(ref d0, i) = Interpolate(s, xs, ys, slopes, lastBelow, scale, buckets);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(double x, double origin, double scale, int buckets) => Math.Min((int)((x - origin) * scale), buckets - 1);

    /// <summary>numpy.interp on the clipped score, as scipy's <c>interp1d</c> does for scikit-learn.</summary>
    /// <remarks>
    /// Indexes through references: every index is in range by construction (the score is clipped to
    /// [xs[0], xs[^1]], so its bucket is in [0, buckets − 1] and <c>lastBelow</c> holds threshold indices),
    /// and skipping the bounds checks is a large share of a lookup's cost.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Interpolate(double score, double[] xs, double[] ys, double[] slopes, int[] lastBelow, double scale, int buckets)
    {
        ref double x0 = ref MemoryMarshal.GetArrayDataReference(xs);
        ref double y0 = ref MemoryMarshal.GetArrayDataReference(ys);
        int last = xs.Length - 1;
        double lowest = x0;
        double highest = Unsafe.Add(ref x0, last);
        if (score >= highest)
        {
            return Unsafe.Add(ref y0, last);
        }

        if (score <= lowest)
        {
            return y0;
        }

        ref int below0 = ref MemoryMarshal.GetArrayDataReference(lastBelow);
        int b = Bucket(score, lowest, scale, buckets);
        int j = Unsafe.Add(ref below0, b);
        int hi = Unsafe.Add(ref below0, b + 1);
        if (hi - j > 8)
        {
            // Many thresholds share the bucket: binary search for the last one ≤ score.
            while (j < hi)
            {
                int mid = (j + hi + 1) >> 1;
                if (Unsafe.Add(ref x0, mid) <= score)
                {
                    j = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }
        }
        else
        {
            while (j < hi && Unsafe.Add(ref x0, j + 1) <= score)
            {
                j++;
            }
        }

        // Here xs[0] < score < xs[^1], so j < last and slopes[j] exists.
        double xj = Unsafe.Add(ref x0, j);
        double yj = Unsafe.Add(ref y0, j);
        return xj == score ? yj : (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slopes), j) * (score - xj)) + yj;
    }
}
