using SelfLearning.Evaluation;

namespace SelfLearning.Monitoring;

/// <summary>A label-free estimate of accuracy from calibrated confidences (see <see cref="LabelFreeAccuracy"/>).</summary>
/// <param name="Count">The number of predictions the estimate covers.</param>
/// <param name="Interval">The expected accuracy and its interval, clipped to [0, 1].</param>
/// <param name="StandardError">√(Σ pᵢ(1 − pᵢ)) / n, the standard deviation of the realised accuracy.</param>
internal sealed record AccuracyEstimate(int Count, ConfidenceInterval Interval, double StandardError)
{
    /// <summary>Gets the expected accuracy, the mean calibrated confidence.</summary>
    public double ExpectedAccuracy => Interval.Estimate;
}
