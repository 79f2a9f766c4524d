namespace SelfLearning.Monitoring;

/// <summary>
/// One comparison of a live sample (scores or an input feature) with its training reference. While the live
/// sample is smaller than the minimum, <see cref="IsSufficient"/> is <see langword="false"/> and the statistics are
/// <see langword="null"/>.
/// </summary>
/// <param name="Monitor">The monitored quantity (e.g. "score" or a feature name).</param>
/// <param name="ReferenceCount">The size of the reference sample.</param>
/// <param name="LiveCount">The size of the live sample.</param>
/// <param name="Psi">The population stability index of the live sample against the reference.</param>
/// <param name="KsStatistic">The two-sample Kolmogorov-Smirnov D.</param>
/// <param name="KsPValue">The two-sided p-value of D.</param>
/// <param name="Severity">The PSI band.</param>
/// <param name="KsSignificant">Whether the KS p-value is below the configured significance level.</param>
/// <param name="EvaluatedAt">When the comparison was made.</param>
public sealed record DriftReport(
    string Monitor,
    int ReferenceCount,
    int LiveCount,
    double? Psi,
    double? KsStatistic,
    double? KsPValue,
    DriftSeverity Severity,
    bool KsSignificant,
    DateTimeOffset EvaluatedAt)
{
    /// <summary>Gets a value indicating whether the live sample was large enough to judge.</summary>
    public bool IsSufficient => Psi is not null;

    /// <summary>Gets a value indicating whether drift is declared: a major PSI or a significant KS test.</summary>
    public bool IsDrift => Severity == DriftSeverity.Major || KsSignificant;
}
