namespace SelfLearning.Statistics;

/// <summary>The outcome of a hypothesis test: the test statistic and its p-value.</summary>
/// <param name="Statistic">The test statistic (z, t, χ², D, or the smaller discordant count for the exact McNemar test).</param>
/// <param name="PValue">The p-value under the null hypothesis, in [0, 1].</param>
/// <param name="DegreesOfFreedom">The degrees of freedom of the reference distribution, where it has any (t and χ² tests).</param>
public readonly record struct TestResult(double Statistic, double PValue, double? DegreesOfFreedom = null);
