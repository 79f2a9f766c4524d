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
    private readonly double[] _thresholds;
    private readonly double[] _values;
    private readonly double[] _slopes;
    private readonly int[] _firstInBucket;
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

        // A lookup table over [first, last] threshold: bucket b's answer lies between the last
        // threshold in an earlier bucket and the last one in bucket b, usually zero or one step apart.
        _bucketCount = Math.Clamp(4 * m, 16, 1 << 16);
        double range = m > 1 ? thresholds[m - 1] - thresholds[0] : 0.0;
        double scale = _bucketCount / range;
        _bucketScale = double.IsFinite(scale) ? scale : 0.0;
        _firstInBucket = new int[_bucketCount + 1];
        for (int j = 0; j < m; j++)
        {
            _firstInBucket[Bucket(thresholds[j]) + 1]++;
        }

        for (int b = 0; b < _bucketCount; b++)
        {
            _firstInBucket[b + 1] += _firstInBucket[b];
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
        var w = new double[scores.Length];
        w.AsSpan().Fill(1.0);
        return FitCore(scores, labels, w);
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
        return FitCore(scores, labels, weights.ToArray());
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
        var (thresholds, values) = IsotonicRegression.Fit(scores.ToArray(), targets.ToArray(), weights.ToArray());
        return new IsotonicCalibrator(thresholds, values);
    }

    /// <inheritdoc />
    /// <remarks>Scores outside the fitted range get the value at the nearest end.</remarks>
    public double Calibrate(double score) => Interpolate(Guard.Finite(score));

    /// <inheritdoc />
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        Guard.SameLengthDestination(scores.Length, destination.Length, nameof(scores));
        for (int i = 0; i < scores.Length; i++)
        {
            double s = scores[i];
            if (!double.IsFinite(s))
            {
                Guard.ThrowNotFinite(s, i, nameof(scores));
            }

            destination[i] = Interpolate(s);
        }
    }

    internal static IsotonicCalibrator Restore(double[] thresholds, double[] values) => new(thresholds, values);

    private static IsotonicCalibrator FitCore(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double[] weights)
    {
        var y = new double[labels.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = labels[i] ? 1.0 : 0.0;
        }

        var (thresholds, values) = IsotonicRegression.Fit(scores.ToArray(), y, weights);
        return new IsotonicCalibrator(thresholds, values);
    }

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

    private int Bucket(double x) => Math.Min((int)((x - _thresholds[0]) * _bucketScale), _bucketCount - 1);

    /// <summary>numpy.interp on the clipped score, as scipy's <c>interp1d</c> does for scikit-learn.</summary>
    private double Interpolate(double score)
    {
        double[] xs = _thresholds;
        double[] ys = _values;
        int last = xs.Length - 1;
        if (score >= xs[last])
        {
            return ys[last];
        }

        if (score <= xs[0])
        {
            return ys[0];
        }

        int b = Bucket(score);
        int j = Math.Max(_firstInBucket[b] - 1, 0);
        int hi = _firstInBucket[b + 1] - 1;
        if (hi - j > 8)
        {
            // Many thresholds share the bucket: binary search for the last one ≤ score.
            int lo = j;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) >> 1;
                if (xs[mid] <= score)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            j = lo;
        }
        else
        {
            while (j < hi && xs[j + 1] <= score)
            {
                j++;
            }
        }

        return xs[j] == score ? ys[j] : (_slopes[j] * (score - xs[j])) + ys[j];
    }
}
