namespace SelfLearning.Monitoring;

/// <summary>
/// Options of the monitoring building blocks: the live-metrics windows, drift detection, automatic rollback
/// and the health checks. Validated by <see cref="MonitoringOptionsValidator"/>.
/// </summary>
public sealed class MonitoringOptions
{
    /// <summary>Gets or sets how many of the most recent outcomes a live-metrics window keeps.</summary>
    /// <value>The default value is 1000. Allowed: 10 to 1,000,000.</value>
    public int WindowSize { get; set; } = MonitoringConstants.DefaultWindowSize;

    /// <summary>
    /// Gets or sets how far back in time a live-metrics window looks; outcomes older than this are dropped
    /// even when the window is not full. <see langword="null"/> keeps the last <see cref="WindowSize"/> outcomes
    /// whatever their age.
    /// </summary>
    /// <value>The default value is <see langword="null"/>. When set, it must be positive.</value>
    public TimeSpan? WindowDuration { get; set; }

    /// <summary>Gets or sets the number of equal-width bins of the live expected calibration error.</summary>
    /// <value>The default value is 15. Allowed: 1 to 1000.</value>
    public int CalibrationBins { get; set; } = MonitoringConstants.DefaultCalibrationBins;

    /// <summary>Gets or sets the number of quantile bins of the population stability index.</summary>
    /// <value>The default value is 10. Allowed: 2 to 1000.</value>
    public int PsiBins { get; set; } = MonitoringConstants.DefaultPsiBins;

    /// <summary>Gets or sets the PSI from which a shift counts as moderate (the conventional 0.1).</summary>
    /// <value>The default value is 0.1. It must be positive and below <see cref="PsiMajorThreshold"/>.</value>
    public double PsiModerateThreshold { get; set; } = MonitoringConstants.DefaultPsiModerateThreshold;

    /// <summary>Gets or sets the PSI from which a shift counts as major, i.e. drift (the conventional 0.25).</summary>
    /// <value>The default value is 0.25. It must be above <see cref="PsiModerateThreshold"/>.</value>
    public double PsiMajorThreshold { get; set; } = MonitoringConstants.DefaultPsiMajorThreshold;

    /// <summary>
    /// Gets or sets the significance level of the two-sample Kolmogorov-Smirnov test of the live sample against
    /// the reference. Stricter than the usual 0.05 because a monitor tests again and again.
    /// </summary>
    /// <value>The default value is 0.01. Allowed: (0, 1).</value>
    public double KsSignificanceLevel { get; set; } = MonitoringConstants.DefaultKsSignificanceLevel;

    /// <summary>Gets or sets the number of live values a drift monitor needs before it judges drift.</summary>
    /// <value>The default value is 100. Allowed: 2 to <see cref="WindowSize"/>.</value>
    public int DriftMinimumSample { get; set; } = MonitoringConstants.DefaultDriftMinimumSample;

    /// <summary>
    /// Gets or sets how far (as a proportion) the champion's live accuracy may fall below its pre-promotion
    /// holdout accuracy before a significant shortfall triggers a rollback (the clinic plan's two points).
    /// </summary>
    /// <value>The default value is 0.02. Allowed: [0, 1).</value>
    public double RollbackMargin { get; set; } = MonitoringConstants.DefaultRollbackMargin;

    /// <summary>Gets or sets the significance level of the one-sided rollback test.</summary>
    /// <value>The default value is 0.05. Allowed: (0, 0.5].</value>
    public double RollbackSignificanceLevel { get; set; } = MonitoringConstants.DefaultRollbackSignificanceLevel;

    /// <summary>Gets or sets the number of live outcomes needed before live accuracy can trigger a rollback.</summary>
    /// <value>The default value is 200. It must be positive.</value>
    public int RollbackMinimumLiveSample { get; set; } = MonitoringConstants.DefaultRollbackMinimumLiveSample;

    /// <summary>Gets or sets the confidence level of the label-free accuracy estimate's interval.</summary>
    /// <value>The default value is 0.95. Allowed: (0, 1).</value>
    public double EstimateConfidenceLevel { get; set; } = MonitoringConstants.DefaultEstimateConfidenceLevel;

    /// <summary>Gets or sets the number of new validated cases since the last training that counts as enough data.</summary>
    /// <value>The default value is 100. It must be positive.</value>
    public long MinimumNewCases { get; set; } = MonitoringConstants.DefaultMinimumNewCases;

    /// <summary>Gets or sets the age beyond which the active (champion) model counts as stale.</summary>
    /// <value>The default value is 30 days. It must be positive.</value>
    public TimeSpan MaximumChampionAge { get; set; } = MonitoringConstants.DefaultMaximumChampionAge;

    /// <summary>Gets or sets the Page-Hinkley tolerance δ: the change in mean the detector ignores.</summary>
    /// <value>The default value is 0.005. It must be zero or more.</value>
    public double PageHinkleyDelta { get; set; } = MonitoringConstants.DefaultPageHinkleyDelta;

    /// <summary>Gets or sets the Page-Hinkley alarm threshold λ.</summary>
    /// <value>The default value is 50. It must be positive.</value>
    public double PageHinkleyThreshold { get; set; } = MonitoringConstants.DefaultPageHinkleyThreshold;

    /// <summary>Gets or sets the Page-Hinkley fading factor α applied to the cumulative sum (1 means no fading).</summary>
    /// <value>The default value is 0.9999. Allowed: (0, 1].</value>
    public double PageHinkleyAlpha { get; set; } = MonitoringConstants.DefaultPageHinkleyAlpha;

    /// <summary>Gets or sets the number of points Page-Hinkley sees before it may raise an alarm.</summary>
    /// <value>The default value is 30. It must be positive.</value>
    public int PageHinkleyMinimumInstances { get; set; } = MonitoringConstants.DefaultPageHinkleyMinimumInstances;

    /// <summary>Gets or sets ADWIN's confidence δ: the bound on the probability of a false cut at each check.</summary>
    /// <value>The default value is 0.002. Allowed: (0, 1).</value>
    public double AdwinDelta { get; set; } = MonitoringConstants.DefaultAdwinDelta;
}
