using System.ComponentModel.DataAnnotations;

namespace SelfLearning.Experiments;

/// <summary>The rules of the decision engine.</summary>
public sealed class ExperimentDecisionOptions
{
    /// <summary>Gets or sets the false-positive rate of the sequential test on the primary metric.</summary>
    /// <value>The default value is 0.05.</value>
    [Range(1e-6, 0.5)]
    public double Alpha { get; set; } = 0.05;

    /// <summary>Gets or sets the false-positive rate of the sequential tests that detect a guardrail regression.</summary>
    /// <value>The default value is 0.05.</value>
    [Range(1e-6, 0.5)]
    public double GuardrailAlpha { get; set; } = 0.05;

    /// <summary>Gets or sets the p-value below which the split is declared a sample ratio mismatch.</summary>
    /// <value>The default value is 0.001.</value>
    [Range(1e-12, 0.5)]
    public double SampleRatioMismatchThreshold { get; set; } = 0.001;

    /// <summary>Gets or sets the exposed units (both arms together) needed before the sample ratio is checked.</summary>
    /// <value>The default value is 100.</value>
    [Range(2, long.MaxValue)]
    public long MinimumUnitsForSampleRatioCheck { get; set; } = 100;

    /// <summary>
    /// Gets or sets how many times the planned sample size per arm may be collected without a
    /// significant result before the experiment stops as inconclusive.
    /// </summary>
    /// <value>The default value is 3.</value>
    [Range(1.0, 100.0)]
    public double InconclusiveSampleMultiple { get; set; } = 3.0;
}
