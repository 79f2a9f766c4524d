namespace SelfLearning.Experiments;

/// <summary>The comparison of one metric between the arms at one look.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Champion">The champion's outcomes.</param>
/// <param name="Challenger">The challenger's outcomes.</param>
/// <param name="Difference">Challenger mean − champion mean.</param>
/// <param name="RelativeLift">Challenger mean / champion mean − 1 (NaN-free: 0 when the champion mean is 0).</param>
/// <param name="RelativeLiftLower">Lower end of the fixed-horizon (1 − α) interval for the relative lift, by the delta method.</param>
/// <param name="RelativeLiftUpper">Upper end of that interval.</param>
/// <param name="FixedHorizonStatistic">The fixed-horizon test statistic (z, Welch's t, or McNemar's χ² in shadow mode).</param>
/// <param name="FixedHorizonPValue">Its two-sided p-value: valid only when looked at once, at the planned sample size.</param>
/// <param name="Sequential">The always-valid sequential test, which decisions use.</param>
/// <param name="Bayesian">Chance to beat and expected losses, for success rates in live mode; otherwise <see langword="null"/>.</param>
/// <param name="IsImprovement">The sequential test is significant and the challenger is better.</param>
/// <param name="IsRegression">The sequential test is significant and the challenger is worse.</param>
public sealed record MetricAnalysis(
    ExperimentMetric Metric,
    MetricTally Champion,
    MetricTally Challenger,
    double Difference,
    double RelativeLift,
    double RelativeLiftLower,
    double RelativeLiftUpper,
    double FixedHorizonStatistic,
    double FixedHorizonPValue,
    SequentialTestResult Sequential,
    BayesianComparison? Bayesian,
    bool IsImprovement,
    bool IsRegression);
