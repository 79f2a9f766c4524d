using MathNet.Numerics.Distributions;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// Thompson sampling over success-rate arms, for hosts that prefer a bandit to a fixed split: per request,
/// draw each arm's success rate from its Beta posterior (prior + successes, prior + failures, from the
/// tallies) and serve the arm with the best draw. Traffic drifts to the better arm as evidence builds,
/// which spends fewer requests on a worse model than an A/B test does.
/// </summary>
/// <remarks>
/// <para><b>Not sticky.</b> The arm is chosen per request, not per unit: the same user may be served
/// different arms on successive requests. Use <see cref="IAbTestRouter"/> when a unit must keep its arm.</para>
/// <para><b>Which analysis applies.</b> Allocation here depends on the outcomes seen so far, so the arms'
/// sample sizes are random and correlated with their results: the fixed-horizon z-test and Welch test,
/// the mixture sequential test, the sample ratio check and hence <see cref="IExperimentDecisionEngine"/>
/// (all of which assume a fixed split) are not valid on these tallies. The Bayesian posterior is: the
/// likelihood does not depend on how the data chose the allocation, so judge a bandit with
/// <see cref="BetaBinomialAnalysis.Compare"/> (chance to beat and expected loss) on the same tallies.</para>
/// <para>Sampling uses MathNet.Numerics' Beta sampler on a <see cref="Random"/> seeded at construction,
/// under a lock: the same seed and the same sequence of calls give the same choices. A choice allocates nothing.</para>
/// </remarks>
public sealed class ThompsonSampler
{
    private readonly object _gate = new();
    private readonly Random _random;
    private readonly double _priorAlpha;
    private readonly double _priorBeta;

    /// <summary>Creates a sampler.</summary>
    /// <param name="seed">The random seed.</param>
    /// <param name="priorAlpha">The Beta prior's α for every arm (default 1: uniform prior).</param>
    /// <param name="priorBeta">The Beta prior's β for every arm (default 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A prior parameter is not positive and finite.</exception>
    public ThompsonSampler(int seed, double priorAlpha = 1.0, double priorBeta = 1.0)
    {
        Guard.Finite(priorAlpha);
        Guard.Finite(priorBeta);
        _priorAlpha = Guard.Positive(priorAlpha);
        _priorBeta = Guard.Positive(priorBeta);
        _random = new Random(seed);
    }

    /// <summary>Chooses the arm to serve from the tallies of an experiment's success-rate metric.</summary>
    /// <param name="tallies">The experiment's tallies.</param>
    /// <param name="metric">A success-rate metric; when lower is better, the lowest draw wins.</param>
    /// <returns>The arm to serve this request.</returns>
    /// <exception cref="ArgumentException">The metric is continuous, or its tallies are not success counts.</exception>
    public ExperimentArm Choose(ExperimentTallies tallies, ExperimentMetric metric)
    {
        Guard.NotNull(tallies);
        Guard.NotNull(metric);
        if (metric.Kind != MetricKind.SuccessRate)
        {
            throw new ArgumentException($"Metric '{metric.Name}' is continuous; Thompson sampling here models success rates.", nameof(metric));
        }

        Span<MetricTally> arms = [tallies.Get(metric.Name, ExperimentArm.Champion), tallies.Get(metric.Name, ExperimentArm.Challenger)];
        return (ExperimentArm)ChooseIndex(arms, metric.HigherIsBetter);
    }

    /// <summary>Chooses among any number of arms.</summary>
    /// <param name="arms">Each arm's success-rate tally: <see cref="MetricTally.Count"/> trials and <see cref="MetricTally.Sum"/> successes.</param>
    /// <param name="higherIsBetter">Whether the highest draw wins (else the lowest).</param>
    /// <returns>The index of the arm to serve; ties go to the lowest index.</returns>
    /// <exception cref="ArgumentException">There is no arm, or a tally's successes are not a whole number between 0 and its trials.</exception>
    public int ChooseIndex(ReadOnlySpan<MetricTally> arms, bool higherIsBetter = true)
    {
        Guard.NotEmpty(arms);
        for (int i = 0; i < arms.Length; i++)
        {
            MetricTally arm = arms[i];
            if (arm.Count < 0 || !(arm.Sum >= 0.0 && arm.Sum <= arm.Count) || arm.Sum != Math.Floor(arm.Sum))
            {
                throw new ArgumentException(
                    $"'{nameof(arms)}' element {i} has {arm.Sum} successes in {arm.Count} trials; a success-rate tally needs a whole number between 0 and the trials.",
                    nameof(arms));
            }
        }

        int best = 0;
        double bestDraw = double.NaN;
        lock (_gate)
        {
            for (int i = 0; i < arms.Length; i++)
            {
                double successes = arms[i].Sum, failures = arms[i].Count - successes;
                double draw = Beta.Sample(_random, _priorAlpha + successes, _priorBeta + failures);
                if (i == 0 || (higherIsBetter ? draw > bestDraw : draw < bestDraw))
                {
                    best = i;
                    bestDraw = draw;
                }
            }
        }

        return best;
    }
}
