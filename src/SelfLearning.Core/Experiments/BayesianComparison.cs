namespace SelfLearning.Experiments;

/// <summary>The Bayesian comparison of two success rates with Beta posteriors (see <see cref="BetaBinomialAnalysis"/>).</summary>
/// <param name="ChanceToBeat">P(p_challenger &gt; p_champion).</param>
/// <param name="ExpectedLossChallenger">E[max(p_champion − p_challenger, 0)]: what choosing the challenger is expected to lose.</param>
/// <param name="ExpectedLossChampion">E[max(p_challenger − p_champion, 0)]: what keeping the champion is expected to lose.</param>
public sealed record BayesianComparison(double ChanceToBeat, double ExpectedLossChallenger, double ExpectedLossChampion);
