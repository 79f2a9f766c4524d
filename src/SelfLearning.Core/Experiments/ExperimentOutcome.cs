namespace SelfLearning.Experiments;

/// <summary>
/// One outcome to add to an experiment's tallies, as decided by <see cref="ExperimentStore"/>; an
/// <see cref="IExperimentStorage"/> appends it whole or not at all (see <see cref="IExperimentStorage.AppendOutcomeAsync"/>).
/// </summary>
/// <remarks>
/// A single outcome adds <see cref="Value"/> to the tally of <see cref="Metric"/> in <see cref="Arm"/>. A paired (shadow-mode)
/// outcome adds, with <see cref="PairedTally.Add"/>, <see cref="Value"/> as the champion's and <see cref="ChallengerValue"/> as
/// the challenger's outcome to the paired tally of <see cref="Metric"/>. An outcome of a kept prediction
/// (<see cref="PredictionId"/> set) is appended at most once per prediction and metric.
/// </remarks>
public sealed class ExperimentOutcome
{
    private ExperimentOutcome(string experimentKey, string metric, ExperimentArm arm, double value, bool isPaired, double challengerValue, string? predictionId, DateTimeOffset recordedAt)
    {
        ExperimentKey = experimentKey;
        Metric = metric;
        Arm = arm;
        Value = value;
        IsPaired = isPaired;
        ChallengerValue = challengerValue;
        PredictionId = predictionId;
        RecordedAt = recordedAt;
    }

    /// <summary>Gets the experiment key.</summary>
    public string ExperimentKey { get; }

    /// <summary>Gets the metric name (already checked against the experiment's definition).</summary>
    public string Metric { get; }

    /// <summary>Gets the arm the outcome counts for; <see cref="ExperimentArm.Champion"/> for a paired outcome.</summary>
    public ExperimentArm Arm { get; }

    /// <summary>Gets the outcome value, or, for a paired outcome, the champion's value.</summary>
    public double Value { get; }

    /// <summary>Gets a value indicating whether this is a shadow-mode pair: both models' outcomes on the same request.</summary>
    public bool IsPaired { get; }

    /// <summary>Gets the challenger's value of a paired outcome; 0 for a single one.</summary>
    public double ChallengerValue { get; }

    /// <summary>
    /// Gets the id of the kept prediction this outcome resolves, or <see langword="null"/> for an outcome recorded directly.
    /// The storage appends it only if that prediction is kept for <see cref="ExperimentKey"/> and not expired at
    /// <see cref="RecordedAt"/>, and only the first time for this prediction and <see cref="Metric"/>.
    /// </summary>
    public string? PredictionId { get; }

    /// <summary>Gets the instant the outcome was recorded, by the store's clock.</summary>
    public DateTimeOffset RecordedAt { get; }

    internal static ExperimentOutcome Single(string experimentKey, string metric, ExperimentArm arm, double value, string? predictionId, DateTimeOffset recordedAt) =>
        new(experimentKey, metric, arm, value, isPaired: false, 0.0, predictionId, recordedAt);

    internal static ExperimentOutcome Paired(string experimentKey, string metric, double championValue, double challengerValue, string? predictionId, DateTimeOffset recordedAt) =>
        new(experimentKey, metric, ExperimentArm.Champion, championValue, isPaired: true, challengerValue, predictionId, recordedAt);
}
