namespace SelfLearning.Monitoring;

/// <summary>
/// The live metrics of one model version over its sliding window at one moment. Metrics are
/// <see langword="null"/> while the window is empty, never NaN.
/// </summary>
/// <param name="Model">The model's key.</param>
/// <param name="Version">The registry version number.</param>
/// <param name="Count">The number of outcomes in the window.</param>
/// <param name="CorrectCount">How many of them were predicted correctly.</param>
/// <param name="Accuracy">CorrectCount / Count.</param>
/// <param name="ExpectedCalibrationError">The equal-width ECE of (confidence, correct) over the window.</param>
/// <param name="BrierScore">The Brier score of (probability, label) over the window.</param>
/// <param name="MeanConfidence">The mean confidence over the window; compare with <paramref name="Accuracy"/>.</param>
/// <param name="TotalRecorded">Every outcome ever recorded for this version, including those that left the window.</param>
/// <param name="TakenAt">When the snapshot was taken.</param>
public sealed record LiveMetricsSnapshot(
    string Model,
    int Version,
    int Count,
    int CorrectCount,
    double? Accuracy,
    double? ExpectedCalibrationError,
    double? BrierScore,
    double? MeanConfidence,
    long TotalRecorded,
    DateTimeOffset TakenAt);
