using System.ComponentModel.DataAnnotations;

namespace SelfLearning.Evaluation;

/// <summary>The rules a candidate must pass against the champion on the same held-out cases before it may be rolled out.</summary>
public sealed class QualityGateOptions
{
    /// <summary>Gets or sets the fewest held-out cases the gate accepts a comparison on.</summary>
    /// <value>The default value is 200.</value>
    [Range(10, int.MaxValue)]
    public int MinimumHoldoutSize { get; set; } = 200;

    /// <summary>
    /// Gets or sets the relative ECE improvement the candidate must reach: it passes when
    /// <c>candidate ECE ≤ champion ECE × (1 − value)</c>. The compliance pipeline's rule is 5%.
    /// </summary>
    /// <value>The default value is 0.05.</value>
    [Range(0.0, 1.0)]
    public double MinimumRelativeEceImprovement { get; set; } = 0.05;

    /// <summary>
    /// Gets or sets the largest accuracy drop (champion minus candidate, as a fraction) tolerated when McNemar's
    /// test finds the drop significant at <see cref="Alpha"/>.
    /// </summary>
    /// <value>The default value is 0.02 (two points).</value>
    [Range(0.0, 1.0)]
    public double MaximumAccuracyDrop { get; set; } = 0.02;

    /// <summary>Gets or sets the significance level of McNemar's test on the accuracy drop.</summary>
    /// <value>The default value is 0.05.</value>
    [Range(1e-6, 0.5)]
    public double Alpha { get; set; } = 0.05;

    /// <summary>
    /// Gets or sets whether the Brier score and log loss must not be significantly worse: the rule fails when the
    /// whole paired bootstrap interval of the difference (candidate minus champion) lies above zero.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireProperScoresNotWorse { get; set; } = true;

    /// <summary>Gets or sets the paired bootstrap resamples.</summary>
    /// <value>The default value is 1,000.</value>
    [Range(1, 1_000_000)]
    public int BootstrapIterations { get; set; } = 1_000;

    /// <summary>
    /// Gets or sets the largest holdout the paired bootstrap runs on. Above it the Brier and log loss intervals use
    /// the normal approximation of the mean per-case difference, which the bootstrap converges to on large samples.
    /// </summary>
    /// <value>The default value is 20,000.</value>
    [Range(10, int.MaxValue)]
    public int MaximumBootstrapCases { get; set; } = 20_000;

    /// <summary>Gets or sets the confidence level of the paired intervals.</summary>
    /// <value>The default value is 0.95.</value>
    [Range(0.5, 0.9999)]
    public double Confidence { get; set; } = 0.95;

    /// <summary>Gets or sets the bootstrap seed; the same seed and cases give the same verdict.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the equal-width bins of the ECE.</summary>
    /// <value>The default value is 15.</value>
    [Range(1, 1_000)]
    public int Bins { get; set; } = CalibrationMetrics.DefaultBins;
}
