using SelfLearning.Internal;

namespace SelfLearning.Calibration;

/// <summary>
/// Histogram binning (Zadrozny and Elkan 2001): [0, 1] is cut into equal-width bins and a
/// probability is replaced by the share of positives among the training cases in its bin.
/// </summary>
/// <remarks>
/// Scores must be probabilities in [0, 1] (calibrate raw margins with <see cref="PlattCalibrator"/>
/// or <see cref="IsotonicCalibrator"/> instead). A probability p falls in bin min(⌊p·M⌋, M − 1),
/// the binning <c>CalibrationMetrics.ExpectedCalibrationError</c> uses, so p = 1 is in the last bin.
/// A bin no training case fell into keeps its midpoint (b + ½)/M: without evidence the
/// calibrator trusts the model there rather than inventing a value.
/// </remarks>
public sealed class HistogramBinningCalibrator : ICalibrator
{
    /// <summary>
    /// The most bins <see cref="Fit"/> accepts; a larger count is refused before anything is allocated
    /// (a fitted calibrator keeps 16 bytes per bin).
    /// </summary>
    public const int MaximumBins = 1_000_000;

    private readonly double[] _values;
    private readonly long[] _counts;

    private HistogramBinningCalibrator(double[] values, long[] counts)
    {
        _values = values;
        _counts = counts;
    }

    /// <summary>Gets the number of bins M.</summary>
    public int Bins => _values.Length;

    /// <summary>Gets the calibrated probability of each bin.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Gets the number of training cases in each bin (0 marks a bin that kept its midpoint).</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <inheritdoc />
    public CalibrationMethod Method => CalibrationMethod.HistogramBinning;

    /// <summary>Fits the bins to probabilities and their labels.</summary>
    /// <param name="scores">Probabilities in [0, 1].</param>
    /// <param name="labels">Whether each case is positive; both classes must occur.</param>
    /// <param name="bins">The number of equal-width bins M, in [1, <see cref="MaximumBins"/>].</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">Empty or mismatched spans, a score outside [0, 1] or NaN, only one class, or <paramref name="bins"/> outside [1, <see cref="MaximumBins"/>].</exception>
    public static HistogramBinningCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, int bins)
    {
        Guard.InRange(bins, 1, MaximumBins);
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, labels);
        Guard.AllProbabilities(scores);
        Guard.BothClasses(labels);

        var counts = new long[bins];
        var positives = new long[bins];
        for (int i = 0; i < scores.Length; i++)
        {
            int b = BinOf(scores[i], bins);
            counts[b]++;
            if (labels[i])
            {
                positives[b]++;
            }
        }

        var values = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            values[b] = counts[b] > 0 ? (double)positives[b] / counts[b] : (b + 0.5) / bins;
        }

        return new HistogramBinningCalibrator(values, counts);
    }

    /// <inheritdoc />
    /// <remarks>The score must be a probability in [0, 1].</remarks>
    public double Calibrate(double score) => _values[BinOf(Guard.Probability(score), _values.Length)];

    /// <inheritdoc />
    /// <remarks>Each score must be a probability in [0, 1].</remarks>
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        Guard.SameLengthDestination(scores.Length, destination.Length, nameof(scores));
        double[] values = _values;
        for (int i = 0; i < scores.Length; i++)
        {
            double s = scores[i];
            if (!(s >= 0.0 && s <= 1.0))
            {
                Guard.ThrowNotProbability(s, i, nameof(scores));
            }

            destination[i] = values[BinOf(s, values.Length)];
        }
    }

    internal static HistogramBinningCalibrator Restore(double[] values, long[] counts) => new(values, counts);

    /// <summary>The bin of a probability: min(⌊p·M⌋, M − 1).</summary>
    internal static int BinOf(double probability, int bins) => Math.Min((int)(probability * bins), bins - 1);
}
