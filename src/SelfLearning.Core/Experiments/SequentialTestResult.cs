namespace SelfLearning.Experiments;

/// <summary>One look of the mixture sequential probability ratio test (see <see cref="MixtureSequentialTest"/>).</summary>
/// <param name="Estimate">The estimated difference θ̂ (challenger − champion).</param>
/// <param name="Variance">The variance V of the estimate.</param>
/// <param name="MixtureVariance">The variance τ² of the normal mixing distribution.</param>
/// <param name="LikelihoodRatio">The mixture likelihood ratio Λ at this look.</param>
/// <param name="PValue">The always-valid p-value: the running minimum of min(1, 1/Λ) over the looks so far.</param>
/// <param name="Lower">The lower end of the always-valid (1 − α) confidence interval for the difference.</param>
/// <param name="Upper">The upper end of the always-valid (1 − α) confidence interval for the difference.</param>
public sealed record SequentialTestResult(
    double Estimate,
    double Variance,
    double MixtureVariance,
    double LikelihoodRatio,
    double PValue,
    double Lower,
    double Upper);
