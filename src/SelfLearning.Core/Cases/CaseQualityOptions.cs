using System.ComponentModel.DataAnnotations;

namespace SelfLearning.Cases;

/// <summary>Options for <see cref="CaseQualityScorer"/>: the weights of each part of the score and the threshold.</summary>
internal sealed class CaseQualityOptions
{
    /// <summary>Gets or sets the weight of input completeness.</summary>
    /// <value>The default value is 0.25.</value>
    [Range(0.0, 1e6)]
    public double CompletenessWeight { get; set; } = 0.25;

    /// <summary>Gets or sets the weight of the reviewer's certainty.</summary>
    /// <value>The default value is 0.35.</value>
    [Range(0.0, 1e6)]
    public double ReviewerCertaintyWeight { get; set; } = 0.35;

    /// <summary>Gets or sets the weight of agreement between reviewers.</summary>
    /// <value>The default value is 0.25.</value>
    [Range(0.0, 1e6)]
    public double AgreementWeight { get; set; } = 0.25;

    /// <summary>Gets or sets the weight of freshness (one minus staleness).</summary>
    /// <value>The default value is 0.15.</value>
    [Range(0.0, 1e6)]
    public double FreshnessWeight { get; set; } = 0.15;

    /// <summary>Gets or sets the lowest score a case may have to be collected.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    /// <summary>Gets or sets the age of a validation at which its staleness reaches one half.</summary>
    /// <value>The default value is 365 days.</value>
    public TimeSpan StalenessHalfLife { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Gets or sets the input parts every case should have; <see cref="CaseInputParts.None"/> judges the parts each case has.</summary>
    /// <value>The default value is <see cref="CaseInputParts.None"/>.</value>
    public CaseInputParts ExpectedInputs { get; set; } = CaseInputParts.None;
}
