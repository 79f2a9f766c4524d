using MathNet.Numerics.Distributions;
using SelfLearning.Internal;
using SelfLearning.Statistics;

namespace SelfLearning.Experiments;

/// <summary>
/// Turns an experiment's tallies into the numbers decisions rest on: for each metric the difference,
/// the relative lift with a delta-method interval, the fixed-horizon test, the always-valid
/// sequential test (<see cref="MixtureSequentialTest"/>) and, for success rates, the Bayesian
/// chance to beat; plus the sample ratio mismatch check.
/// </summary>
/// <remarks>
/// <para>Live mode compares two independent arms: V = s²_A/n_A + s²_B/n_B, with s² = p(1 − p) for
/// a success rate and the sample variance for a continuous metric; the fixed-horizon tests are the
/// pooled two-proportion z-test and Welch's t-test (<see cref="HypothesisTests"/>).</para>
/// <para>Shadow mode compares the two models on the same requests: the difference of each pair has
/// variance s²_D, V = s²_D/n, and the fixed-horizon tests are McNemar's (success rates; exact below
/// 25 discordant pairs) and the one-sample t-test of the differences (continuous).</para>
/// <para>Relative lift L = μ_B/μ_A − 1 with Var(L) ≈ V_B/μ_A² + μ_B² V_A/μ_A⁴ − 2 μ_B C_AB/μ_A³
/// (delta method; C_AB = 0 for independent arms), and interval L ± z₁₋α/₂ √Var(L).</para>
/// </remarks>
internal static class ExperimentAnalyzer
{
    private const int ExactMcNemarBelow = 25;

    /// <summary>Analyses an experiment.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="tallies">Its tallies.</param>
    /// <param name="options">The significance levels and sample ratio threshold.</param>
    /// <param name="previous">The previous look's analysis, whose always-valid p-values this look continues; <see langword="null"/> at the first look.</param>
    /// <returns>The analysis.</returns>
    /// <exception cref="ArgumentException">The tallies belong to another experiment.</exception>
    public static ExperimentAnalysis Analyze(Experiment experiment, ExperimentTallies tallies, ExperimentDecisionOptions options, ExperimentAnalysis? previous = null)
    {
        Guard.NotNull(experiment);
        Guard.NotNull(tallies);
        Guard.NotNull(options);
        if (!string.Equals(tallies.ExperimentKey, experiment.Key, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The tallies are of experiment '{tallies.ExperimentKey}', not '{experiment.Key}'.", nameof(tallies));
        }

        ExperimentDefinition definition = experiment.Definition;
        MetricAnalysis primary = AnalyzeMetric(experiment, definition.PrimaryMetric, tallies, options.Alpha, previous?.Primary);
        var guardrails = new MetricAnalysis[definition.Guardrails.Count];
        for (int i = 0; i < guardrails.Length; i++)
        {
            ExperimentMetric metric = definition.Guardrails[i];
            MetricAnalysis? before = previous?.Guardrails.FirstOrDefault(g => g.Metric.Name == metric.Name);
            guardrails[i] = AnalyzeMetric(experiment, metric, tallies, options.GuardrailAlpha, before);
        }

        return new ExperimentAnalysis(experiment.Key, primary, guardrails, SampleRatio(tallies.ChampionExposures, tallies.ChallengerExposures, options));
    }

    /// <summary>The sample ratio mismatch check against the equal split both arms are planned with.</summary>
    /// <param name="championUnits">Distinct champion units.</param>
    /// <param name="challengerUnits">Distinct challenger units.</param>
    /// <param name="options">The threshold and the minimum units.</param>
    /// <returns>The check; below the minimum units it reports p = 1 and no mismatch.</returns>
    public static SampleRatioCheck SampleRatio(long championUnits, long challengerUnits, ExperimentDecisionOptions options)
    {
        Guard.NonNegative(championUnits);
        Guard.NonNegative(challengerUnits);
        Guard.NotNull(options);
        if (championUnits + challengerUnits < options.MinimumUnitsForSampleRatioCheck)
        {
            return new SampleRatioCheck(championUnits, challengerUnits, 0.0, 1.0, false);
        }

        TestResult test = HypothesisTests.ChiSquareGoodnessOfFit([championUnits, challengerUnits], [0.5, 0.5]);
        return new SampleRatioCheck(championUnits, challengerUnits, test.Statistic, test.PValue, test.PValue < options.SampleRatioMismatchThreshold);
    }

    /// <summary>The sequential test of two independent arms (live mode).</summary>
    internal static SequentialTestResult SequentialLive(MetricKind kind, MetricTally champion, MetricTally challenger, long plannedSampleSize, double alpha, double previousPValue)
    {
        double varianceA = ArmVariance(kind, champion), varianceB = ArmVariance(kind, challenger);
        bool enough = champion.Count >= 2 && challenger.Count >= 2;
        double variance = enough ? (varianceA / champion.Count) + (varianceB / challenger.Count) : 0.0;
        return MixtureSequentialTest.Evaluate(challenger.Mean - champion.Mean, variance, varianceA + varianceB, plannedSampleSize, alpha, previousPValue);
    }

    private static MetricAnalysis AnalyzeMetric(Experiment experiment, ExperimentMetric metric, ExperimentTallies tallies, double alpha, MetricAnalysis? previous)
    {
        double previousP = previous?.Sequential.PValue ?? 1.0;
        long planned = experiment.Definition.PlannedSampleSizePerArm;
        return experiment.Definition.Mode == ExperimentMode.Shadow
            ? AnalyzePaired(metric, tallies.GetPaired(metric.Name), planned, alpha, previousP)
            : AnalyzeLive(metric, tallies.Get(metric.Name, ExperimentArm.Champion), tallies.Get(metric.Name, ExperimentArm.Challenger), planned, alpha, previousP);
    }

    private static MetricAnalysis AnalyzeLive(ExperimentMetric metric, MetricTally a, MetricTally b, long planned, double alpha, double previousP)
    {
        SequentialTestResult sequential = SequentialLive(metric.Kind, a, b, planned, alpha, previousP);
        TestResult fixedHorizon = default;
        BayesianComparison? bayesian = null;
        if (metric.Kind == MetricKind.SuccessRate)
        {
            fixedHorizon = a.Count > 0 && b.Count > 0
                ? HypothesisTests.TwoProportionZTest((long)b.Sum, b.Count, (long)a.Sum, a.Count)
                : new TestResult(0.0, 1.0);
            bayesian = BetaBinomialAnalysis.Compare((long)a.Sum, a.Count, (long)b.Sum, b.Count);
        }
        else
        {
            double sdA = Math.Sqrt(a.Variance), sdB = Math.Sqrt(b.Variance);
            fixedHorizon = a.Count >= 2 && b.Count >= 2 && (sdA > 0.0 || sdB > 0.0)
                ? HypothesisTests.WelchTTest(b.Mean, sdB, b.Count, a.Mean, sdA, a.Count)
                : new TestResult(0.0, 1.0);
        }

        double varianceA = a.Count > 0 ? ArmVariance(metric.Kind, a) / a.Count : 0.0;
        double varianceB = b.Count > 0 ? ArmVariance(metric.Kind, b) / b.Count : 0.0;
        return Build(metric, a, b, varianceA, varianceB, 0.0, alpha, fixedHorizon, sequential, bayesian);
    }

    private static MetricAnalysis AnalyzePaired(ExperimentMetric metric, PairedTally pairs, long planned, double alpha, double previousP)
    {
        MetricTally d = pairs.Difference;
        long n = d.Count;
        double varianceD = d.Variance;
        SequentialTestResult sequential = MixtureSequentialTest.Evaluate(d.Mean, n >= 2 ? varianceD / n : 0.0, varianceD, planned, alpha, previousP);

        TestResult fixedHorizon;
        if (metric.Kind == MetricKind.SuccessRate)
        {
            long b = pairs.ChampionOnly, c = pairs.ChallengerOnly;
            fixedHorizon = b + c > 0 ? HypothesisTests.McNemar(b, c, exact: b + c < ExactMcNemarBelow) : new TestResult(0.0, 1.0);
        }
        else if (n >= 2 && varianceD > 0.0)
        {
            // One-sample t-test of the paired differences (scipy.stats.ttest_rel); not among HypothesisTests.
            double t = d.Mean / Math.Sqrt(varianceD / n);
            fixedHorizon = new TestResult(t, 2.0 * StudentT.CDF(0.0, 1.0, n - 1, -Math.Abs(t)), n - 1);
        }
        else
        {
            fixedHorizon = new TestResult(0.0, 1.0);
        }

        double covariance = n >= 2 ? (pairs.Champion.Variance + pairs.Challenger.Variance - varianceD) / 2.0 / n : 0.0;
        double varianceA = n > 0 ? pairs.Champion.Variance / n : 0.0;
        double varianceB = n > 0 ? pairs.Challenger.Variance / n : 0.0;
        return Build(metric, pairs.Champion, pairs.Challenger, varianceA, varianceB, covariance, alpha, fixedHorizon, sequential, null);
    }

    private static MetricAnalysis Build(
        ExperimentMetric metric,
        MetricTally a,
        MetricTally b,
        double varianceOfMeanA,
        double varianceOfMeanB,
        double covariance,
        double alpha,
        TestResult fixedHorizon,
        SequentialTestResult sequential,
        BayesianComparison? bayesian)
    {
        double muA = a.Mean, muB = b.Mean;
        double lift = 0.0, lower = double.NegativeInfinity, upper = double.PositiveInfinity;
        if (muA != 0.0)
        {
            lift = (muB / muA) - 1.0;
            double variance = (varianceOfMeanB / (muA * muA))
                + (muB * muB * varianceOfMeanA / (muA * muA * muA * muA))
                - (2.0 * muB * covariance / (muA * muA * muA));
            if (variance > 0.0 && a.Count >= 2 && b.Count >= 2)
            {
                double half = Normal.InvCDF(0.0, 1.0, 1.0 - (alpha / 2.0)) * Math.Sqrt(variance);
                lower = lift - half;
                upper = lift + half;
            }
        }

        bool significant = sequential.PValue <= alpha && sequential.Estimate != 0.0;
        bool better = (sequential.Estimate > 0.0) == metric.HigherIsBetter;
        return new MetricAnalysis(
            metric, a, b, muB - muA, lift, lower, upper, fixedHorizon.Statistic, fixedHorizon.PValue, sequential, bayesian,
            IsImprovement: significant && better,
            IsRegression: significant && !better);
    }

    private static double ArmVariance(MetricKind kind, MetricTally tally) =>
        kind == MetricKind.SuccessRate ? tally.Mean * (1.0 - tally.Mean) : tally.Variance;
}
