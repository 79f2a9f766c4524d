namespace SelfLearning.Statistics;

/// <summary>The alternative hypothesis of a test comparing a first sample (A) with a second (B).</summary>
public enum Alternative
{
    /// <summary>A and B differ in either direction.</summary>
    TwoSided = 0,

    /// <summary>
    /// A is smaller than B (statsmodels' <c>'smaller'</c>, SciPy's <c>'less'</c>). For the Kolmogorov-Smirnov
    /// test, as in SciPy, the CDF of A is less than B's somewhere (A tends to larger values).
    /// </summary>
    Less = 1,

    /// <summary>
    /// A is larger than B (statsmodels' <c>'larger'</c>, SciPy's <c>'greater'</c>). For the Kolmogorov-Smirnov
    /// test, as in SciPy, the CDF of A is greater than B's somewhere (A tends to smaller values).
    /// </summary>
    Greater = 2,
}
