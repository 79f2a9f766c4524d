namespace SelfLearning.Hosting;

/// <summary>Defaults and fixed names of the Hosting area.</summary>
internal static class HostingConstants
{
    /// <summary>The configuration section the options are described under in validation messages.</summary>
    public const string Section = "SelfLearning";

    /// <summary>The actor written to the registry's audit history by the loop.</summary>
    public const string DefaultActor = "selflearning-loop";

    /// <summary>The model type key of the default trainer (a cross-validated calibrator).</summary>
    public const string DefaultTrainerType = "calibration";

    /// <summary>The tag on which earlier releases kept a version's training watermark (now <c>ModelLineage.TrainingWatermark</c>); still read.</summary>
    public const string WatermarkTag = "selflearning.watermark";

    /// <summary>The tag on which earlier releases kept the gate result (now the version's evaluation report); still read.</summary>
    public const string GateTag = "selflearning.gate";

    /// <summary>The experiment metric: squared error of the calibrated probability (lower is better).</summary>
    public const string BrierMetric = "brier";

    /// <summary>The experiment guardrail: whether the thresholded probability matched the outcome.</summary>
    public const string AccuracyMetric = "accuracy";

    /// <summary>The canary's metric of a regression: the absolute error of each prediction (lower is better).</summary>
    public const string AbsoluteErrorMetric = "absolute_error";

    /// <summary>How many recorded prediction ids are remembered to ignore a retried outcome.</summary>
    public const int RecordedOutcomeCapacity = 1_000_000;

    /// <summary>The metric in which earlier releases kept the held-out size (now <c>ModelLineage.HoldoutSize</c>); still read.</summary>
    public const string HoldoutSizeMetric = "holdout_size";

    /// <summary>The tag in which earlier releases kept the drift reference quantiles (now <c>ModelLineage.ReferenceScores</c>); still read.</summary>
    public const string ReferenceScoresTag = "selflearning.reference_scores";

    /// <summary>The number of quantiles of the held-out scores kept as the drift reference.</summary>
    public const int ReferenceQuantiles = 128;

    /// <summary>How long without new validated cases before the data is stale.</summary>
    public static readonly TimeSpan DefaultDataStaleAfter = TimeSpan.FromDays(7);

    /// <summary>How often the background service runs a cycle per model.</summary>
    public static readonly TimeSpan DefaultCycleInterval = TimeSpan.FromHours(1);

    /// <summary>The first wait before a failed cycle is retried; it doubles with each failure in a row, up to the cycle interval.</summary>
    public static readonly TimeSpan DefaultFailureRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>The longest a duration the loop adds to a date (step durations, experiment durations, staleness) may be: 100 years, so the sum never overflows.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(36_500);

    /// <summary>Time at a canary step before the next one.</summary>
    public static readonly TimeSpan DefaultMinimumStepDuration = TimeSpan.FromDays(1);

    /// <summary>The longest an experiment runs.</summary>
    public static readonly TimeSpan DefaultMaximumExperimentDuration = TimeSpan.FromDays(28);
}
