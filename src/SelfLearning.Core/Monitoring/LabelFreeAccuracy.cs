using MathNet.Numerics.Distributions;
using SelfLearning.Evaluation;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// Estimated accuracy before outcomes arrive, the idea of NannyML's confidence-based performance estimation
/// (CBPE): when confidences are calibrated, prediction i is correct with probability pᵢ, so the number
/// correct is Poisson-binomial with mean Σ pᵢ and variance Σ pᵢ(1 − pᵢ). The expected accuracy is the mean
/// confidence and its normal-approximation interval is p̄ ± z·√(Σ pᵢ(1 − pᵢ))/n. The interval is about
/// the accuracy these predictions will realise, not about the model's long-run accuracy, and it is only
/// as good as the calibration: feed calibrated confidences.
/// </summary>
internal static class LabelFreeAccuracy
{
    /// <summary>Estimates the accuracy of predictions from their calibrated confidences.</summary>
    /// <param name="calibratedConfidence">The calibrated confidence of each prediction, in [0, 1]; not empty.</param>
    /// <param name="confidenceLevel">The confidence level of the interval, in (0, 1).</param>
    /// <returns>The estimate, its interval clipped to [0, 1], and its standard error.</returns>
    /// <exception cref="ArgumentException">The span is empty or holds a value outside [0, 1], or the level is outside (0, 1).</exception>
    public static AccuracyEstimate Estimate(
        ReadOnlySpan<double> calibratedConfidence,
        double confidenceLevel = MonitoringConstants.DefaultEstimateConfidenceLevel)
    {
        Guard.NotEmpty(calibratedConfidence);
        Guard.AllProbabilities(calibratedConfidence);
        Guard.InOpenRange(confidenceLevel, 0.0, 1.0);

        double sum = 0.0;
        double variance = 0.0;
        foreach (double p in calibratedConfidence)
        {
            sum += p;
            variance += p * (1.0 - p);
        }

        return FromSums(calibratedConfidence.Length, sum, variance, confidenceLevel);
    }

    /// <summary>The estimate from n, Σ pᵢ and Σ pᵢ(1 − pᵢ); shared with <see cref="PendingPredictions"/>.</summary>
    internal static AccuracyEstimate FromSums(int count, double sum, double varianceSum, double confidenceLevel)
    {
        double mean = sum / count;
        double standardError = Math.Sqrt(Math.Max(varianceSum, 0.0)) / count;
        double z = Normal.InvCDF(0.0, 1.0, 0.5 + (confidenceLevel / 2.0));
        var interval = new ConfidenceInterval(
            mean,
            Math.Max(0.0, mean - (z * standardError)),
            Math.Min(1.0, mean + (z * standardError)),
            confidenceLevel);
        return new AccuracyEstimate(count, interval, standardError);
    }
}
