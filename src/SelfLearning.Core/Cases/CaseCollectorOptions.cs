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

    /// <summary>Gets or sets the share of cases assigned to training.</summary>
    /// <value>The default value is 0.8.</value>
    [Range(0.0, 1.0)]
    public double TrainFraction { get; set; } = 0.8;

    /// <summary>Gets or sets the share of cases assigned to validation.</summary>
    /// <value>The default value is 0.2.</value>
    [Range(0.0, 1.0)]
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>Gets or sets the share of cases assigned to testing.</summary>
    /// <value>The default value is 0.</value>
    [Range(0.0, 1.0)]
    public double TestFraction { get; set; }
}
