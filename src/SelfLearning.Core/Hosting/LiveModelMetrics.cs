namespace SelfLearning.Hosting;

/// <summary>A version's metrics over its most recent validated outcomes in production.</summary>
/// <param name="ModelName">The model.</param>
/// <param name="Version">The version (0 for the uncalibrated baseline).</param>
/// <param name="Count">The outcomes in the window.</param>
/// <param name="Accuracy">The share of outcomes where the probability, thresholded at 0.5, matched the outcome.</param>
/// <param name="ExpectedCalibrationError">The ECE of the probabilities against the outcomes (15 equal-width bins).</param>
/// <param name="BrierScore">The mean squared error of the probabilities.</param>
/// <param name="EstimatedAccuracy">The accuracy the calibrated probabilities alone predict (mean of max(p, 1 − p), as in confidence-based performance estimation), to compare with <paramref name="Accuracy"/>.</param>
public sealed record LiveModelMetrics(string ModelName, int Version, int Count, double Accuracy, double ExpectedCalibrationError, double BrierScore, double EstimatedAccuracy);
