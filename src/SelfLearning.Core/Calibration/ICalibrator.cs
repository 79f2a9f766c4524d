namespace SelfLearning.Calibration;

/// <summary>
/// Maps a host model's raw score or confidence to a calibrated probability that the prediction is
/// correct (or that the positive class holds). Implementations are immutable and safe to call from
/// many threads at once; the batch method allocates nothing.
/// </summary>
public interface ICalibrator
{
    /// <summary>Gets the calibration method, which is also the method name in the serialised artifact.</summary>
    CalibrationMethod Method { get; }

    /// <summary>Calibrates one score.</summary>
    /// <param name="score">The host model's score; each method documents the scores it accepts.</param>
    /// <returns>The calibrated probability, in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">The score is NaN, infinite or outside the method's domain.</exception>
    double Calibrate(double score);

    /// <summary>Calibrates a batch of scores into <paramref name="destination"/> without allocating.</summary>
    /// <param name="scores">The host model's scores.</param>
    /// <param name="destination">Receives the calibrated probability of each score; must be as long as <paramref name="scores"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ, or a score is NaN, infinite or outside the method's domain (the message names its index).</exception>
    void Calibrate(ReadOnlySpan<double> scores, Span<double> destination);
}
