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

    /// <summary>
    /// Gets or sets the ECE below which calibration is taken as good and differences as noise: the ECE rule passes
    /// when the candidate's ECE is at most this, whatever the champion's, and no relative improvement is computed
    /// against a champion below it (a champion at 1e-15 would otherwise demand an impossible improvement).
    /// </summary>
    /// <value>The default value is 0.01.</value>
    [Range(0.0, 1.0)]
    public double EceFloor { get; set; } = 0.01;

    /// <summary>
    /// Gets or sets the metric a classifier candidate must be strictly better on than the champion (or, for a first
    /// model, the class-prior baseline), besides the guard rules (ECE not worse beyond <see cref="EceFloor"/>,
    /// Brier and log loss not significantly worse, accuracy not significantly lower).
    /// </summary>
    /// <value>The default value is <see cref="GateMetric.LogLoss"/>.</value>
    public GateMetric PrimaryMetric { get; set; } = GateMetric.LogLoss;

    /// <summary>
    /// Gets or sets the relative improvement of the mean absolute error a regression candidate must reach:
    /// <c>candidate MAE ≤ champion MAE × (1 − value)</c>, besides MAE and RMSE not being significantly worse.
    /// </summary>
    /// <value>The default value is 0.02.</value>
    [Range(0.0, 1.0)]
    public double MinimumRelativeErrorImprovement { get; set; } = 0.02;

    /// <summary>Gets or sets how far a clustering candidate's held-out silhouette may fall below the champion's.</summary>
    /// <value>The default value is 0.02.</value>
    [Range(0.0, 2.0)]
    public double MaximumSilhouetteDrop { get; set; } = 0.02;

    /// <summary>
    /// Gets or sets the relative improvement of the held-out within-cluster sum of squares per case a clustering
    /// candidate must reach over the champion (clusterings are promoted on the gate, with no canary).
    /// </summary>
    /// <value>The default value is 0.01.</value>
    [Range(0.0, 1.0)]
    public double MinimumRelativeInertiaImprovement { get; set; } = 0.01;

    /// <summary>
    /// Gets or sets the smallest adjusted Rand index between the candidate's and the champion's held-out assignments;
    /// 0 reports the stability without requiring any.
    /// </summary>
    /// <value>The default value is 0.</value>
    [Range(-1.0, 1.0)]
    public double MinimumAdjustedRandIndex { get; set; }

    /// <summary>Gets or sets the nominal coverage of a regression model's split-conformal prediction interval.</summary>
    /// <value>The default value is 0.9.</value>
    [Range(0.5, 0.999)]
    public double IntervalCoverage { get; set; } = 0.9;
}
