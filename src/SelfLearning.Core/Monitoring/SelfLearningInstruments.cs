namespace SelfLearning.Monitoring;

/// <summary>
/// The names of the instruments of the "SelfLearning" meter (see <see cref="SelfLearningTelemetry"/>), following
/// OpenTelemetry's naming (lower case, dot-separated). Tags: <c>model</c>, <c>version</c>, and as noted.
/// </summary>
internal static class SelfLearningInstruments
{
    /// <summary>Counter of predictions served, tagged model and version.</summary>
    public const string Predictions = "selflearning.predictions";

    /// <summary>Counter of outcomes (labels) received, tagged model, version and <c>correct</c>.</summary>
    public const string Outcomes = "selflearning.outcomes";

    /// <summary>Observable gauge of each version's live accuracy over its window.</summary>
    public const string LiveAccuracy = "selflearning.live.accuracy";

    /// <summary>Observable gauge of each version's live expected calibration error over its window.</summary>
    public const string LiveCalibrationError = "selflearning.live.calibration_error";

    /// <summary>Histogram of population stability indices measured, tagged <c>monitor</c>.</summary>
    public const string DriftPsi = "selflearning.drift.psi";

    /// <summary>Counter of rollbacks, tagged model, version (the one rolled back) and <c>reason</c>.</summary>
    public const string Rollbacks = "selflearning.rollbacks";

    /// <summary>Counter of promotions, tagged model and version (the one promoted).</summary>
    public const string Promotions = "selflearning.promotions";

    /// <summary>Counter of finished training jobs, tagged model and <c>status</c>.</summary>
    public const string TrainingJobs = "selflearning.training.jobs";

    /// <summary>Histogram of training job durations in seconds, tagged model and <c>status</c>.</summary>
    public const string TrainingDuration = "selflearning.training.duration";

    /// <summary>Gets every instrument name above.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Predictions, Outcomes, LiveAccuracy, LiveCalibrationError, DriftPsi, Rollbacks, Promotions, TrainingJobs, TrainingDuration];
}
