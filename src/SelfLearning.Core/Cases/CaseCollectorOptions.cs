using System.ComponentModel.DataAnnotations;

namespace SelfLearning.Cases;

/// <summary>Options for <see cref="CaseCollector"/>: which cases to keep and how to split them.</summary>
public sealed class CaseCollectorOptions
{
    /// <summary>Gets or sets the lowest reviewer certainty a case may have to be kept.</summary>
    /// <value>The default value is 0.8.</value>
    [Range(0.0, 1.0)]
    public double MinReviewerCertainty { get; set; } = 0.8;

    /// <summary>
    /// Gets or sets the lowest model confidence a case may have to be kept, or <see langword="null"/> for no filter.
    /// Filtering on the model's own confidence biases calibration data (the low-confidence cases are exactly
    /// the ones calibration needs), so the collector logs a warning when it is set.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (off).</value>
    [Range(0.0, 1.0)]
    public double? MinModelConfidence { get; set; }

    /// <summary>Gets or sets what to do when different reviewers gave a case different labels.</summary>
    /// <value>The default value is <see cref="Cases.ConflictResolution.NeedsReview"/>.</value>
    public ConflictResolution ConflictResolution { get; set; } = ConflictResolution.NeedsReview;

    /// <summary>Gets or sets the longest free text (in UTF-16 characters) a case may carry; longer cases are rejected.</summary>
    /// <value>The default value is 10,000.</value>
    [Range(0, 10_000_000)]
    public int MaxFreeTextLength { get; set; } = 10_000;

    /// <summary>Gets or sets the longest attribute key or value (in UTF-16 characters) a case may carry.</summary>
    /// <value>The default value is 1,000.</value>
    [Range(1, 1_000_000)]
    public int MaxAttributeLength { get; set; } = 1_000;

    /// <summary>Gets or sets the most attributes a case may carry.</summary>
    /// <value>The default value is 64.</value>
    [Range(0, 100_000)]
    public int MaxAttributes { get; set; } = 64;

    /// <summary>
    /// Gets or sets the latest a case may be validated after the collector's clock (<see cref="TimeProvider"/>) and still
    /// be kept; a case validated later is rejected as <see cref="CaseRejectionReason.ValidatedInFuture"/>, so the
    /// watermark never passes the collector's now plus this allowance.
    /// </summary>
    /// <value>The default value is 5 minutes; at most one day.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = CaseCollectorConstants.DefaultMaxClockSkew;

    /// <summary>
    /// Gets or sets what every case's input must hold to be kept, unless its model has its own entry in
    /// <see cref="ModelInputRequirements"/>; a case a trainer could not use is rejected at collection, never at training.
    /// </summary>
    /// <value>The default value is <see cref="CaseInputRequirements.AnyPart"/>: at least one input part, every number finite.</value>
    [Required]
    public CaseInputRequirements InputRequirements { get; set; } = CaseInputRequirements.AnyPart;

    /// <summary>
    /// Gets the input requirements of particular models, by <see cref="FeedbackCase.ModelName"/> (ordinal); the loop
    /// fills it from each model's trainer and score source.
    /// </summary>
    /// <value>The default value is empty: every case is judged by <see cref="InputRequirements"/>.</value>
    public IDictionary<string, CaseInputRequirements> ModelInputRequirements { get; } = new Dictionary<string, CaseInputRequirements>(StringComparer.Ordinal);

    /// <summary>Gets or sets the share of cases assigned to training.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.0, 1.0)]
    public double TrainFraction { get; set; } = CaseCollectorConstants.DefaultTrainFraction;

    /// <summary>Gets or sets the share of cases assigned to validation.</summary>
    /// <value>The default value is 0.2.</value>
    [Range(0.0, 1.0)]
    public double ValidationFraction { get; set; } = CaseCollectorConstants.DefaultValidationFraction;

    /// <summary>Gets or sets the share of cases assigned to testing: the held-out cases on which the loop judges a candidate against the champion.</summary>
    /// <value>The default value is 0.3.</value>
    [Range(0.0, 1.0)]
    public double TestFraction { get; set; } = CaseCollectorConstants.DefaultTestFraction;
}
