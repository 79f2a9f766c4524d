using MathNet.Numerics.Distributions;
using SelfLearning.Experiments;
using SelfLearning.Statistics;

namespace SelfLearning.Tests.Experiments;

public sealed class ExperimentAnalyzerTests
{
    private const double Alpha = 0.05;
    private const int Looks = 20;

    // 2,000 simulated experiments: the binomial standard error of a rate near 0.05 is
    // sqrt(0.05 · 0.95 / 2000) = 0.0049, so 3 standard errors is 0.015.
    private const int Simulations = 2_000;
    private const double RateTolerance = 0.015;

    [Fact]
    public void SequentialTest_NoTrueDifference_FalsePositiveRateOver20LooksStaysAtOrBelowAlpha()
    {
        (int sequential, int peekedFixed) = SimulateNull(seed: 11, baseline: 0.10, perLook: 500, plannedPerArm: 10_000);

        double sequentialRate = (double)sequential / Simulations;
        double peekedRate = (double)peekedFixed / Simulations;
        sequentialRate.Should().BeLessThanOrEqualTo(Alpha + RateTolerance);
        peekedRate.Should().BeGreaterThan(Alpha + RateTolerance, "peeking at a fixed-horizon z-test 20 times inflates false positives");
    }

    [Fact]
    public void FixedHorizonTest_TrueDifferenceAtPlannedSampleSize_HasPlannedPower()
    {
        long n = SampleSizePlanner.ForSuccessRate(0.10, 0.02, Alpha, 0.8);
        var rng = new Random(23);
        int detected = 0;
        for (int s = 0; s < Simulations; s++)
        {
            long a = Binomial.Sample(rng, 0.10, (int)n), b = Binomial.Sample(rng, 0.12, (int)n);
            detected += HypothesisTests.TwoProportionZTest(b, n, a, n).PValue < Alpha ? 1 : 0;
        }

        // Standard error of a power near 0.8 over 2,000 runs: sqrt(0.8 · 0.2 / 2000) = 0.0089; 3 of them.
        ((double)detected / Simulations).Should().BeApproximately(0.8, 0.027);
    }

    [Fact]
    public void SequentialTest_TrueDifference_DetectsMostExperimentsByThreeTimesThePlannedSample()
    {
        long n = SampleSizePlanner.ForSuccessRate(0.10, 0.02, Alpha, 0.8);
        var rng = new Random(29);
        int detected = 0;
        const int runs = 500;
        for (int s = 0; s < runs; s++)
        {
            MetricTally a = default, b = default;
            double p = 1.0;
            for (int look = 0; look < Looks && p > Alpha; look++)
            {
                int step = (int)(3 * n / Looks);
                a = Add(a, Binomial.Sample(rng, 0.10, step), step);
                b = Add(b, Binomial.Sample(rng, 0.12, step), step);
                p = ExperimentAnalyzer.SequentialLive(MetricKind.SuccessRate, a, b, n, Alpha, p).PValue;
            }

            detected += p <= Alpha ? 1 : 0;
        }

        ((double)detected / runs).Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void SampleRatio_Injected52To48Split_IsFlagged()
    {
        var options = new ExperimentDecisionOptions();
        SampleRatioCheck skewed = ExperimentAnalyzer.SampleRatio(10_400, 9_600, options);
        skewed.IsMismatch.Should().BeTrue();
        skewed.ChiSquare.Should().BeApproximately(32.0, 1e-9);

        var rng = new Random(5);
        long champion = Binomial.Sample(rng, 0.5, 20_000);
        ExperimentAnalyzer.SampleRatio(champion, 20_000 - champion, options).IsMismatch.Should().BeFalse();
        ExperimentAnalyzer.SampleRatio(60, 20, options).IsMismatch.Should().BeFalse("80 units are below the minimum for the check");
    }

    [Fact]
    public void Analyze_LiveSuccessRate_ReportsEveryNumber()
    {
        Experiment experiment = ExperimentFixtures.Running();
        ExperimentTallies tallies = Tallies(experiment.Key, new MetricTally(1000, 100, 100), new MetricTally(1000, 150, 150), 1000, 1000);

        ExperimentAnalysis analysis = ExperimentAnalyzer.Analyze(experiment, tallies, new ExperimentDecisionOptions());

        MetricAnalysis primary = analysis.Primary;
        primary.Difference.Should().BeApproximately(0.05, 1e-12);
        primary.RelativeLift.Should().BeApproximately(0.5, 1e-12);
        // Delta method: Var = 0.15·0.85/1000/0.1² + 0.15²·0.1·0.9/1000/0.1⁴ = 0.01275 + 0.02025.
        double half = 1.959963984540054 * Math.Sqrt(0.033);
        primary.RelativeLiftLower.Should().BeApproximately(0.5 - half, 1e-9);
        primary.RelativeLiftUpper.Should().BeApproximately(0.5 + half, 1e-9);
        primary.FixedHorizonPValue.Should().Be(HypothesisTests.TwoProportionZTest(150, 1000, 100, 1000).PValue);
        SequentialTestResult expected = MixtureSequentialTest.Evaluate(0.05, (0.09 + 0.1275) / 1000, 0.2175, 10_000, Alpha);
        primary.Sequential.Variance.Should().BeApproximately(expected.Variance, 1e-15);
        primary.Sequential.LikelihoodRatio.Should().BeApproximately(expected.LikelihoodRatio, 1e-9 * expected.LikelihoodRatio);
        primary.Sequential.PValue.Should().BeApproximately(expected.PValue, 1e-9);
        primary.Bayesian.Should().Be(BetaBinomialAnalysis.Compare(100, 1000, 150, 1000));
        // At a tenth of the planned sample the fixed-horizon p is tiny, but the always-valid test waits.
        primary.FixedHorizonPValue.Should().BeLessThan(0.001);
        primary.IsImprovement.Should().BeFalse();
        analysis.SampleRatio.IsMismatch.Should().BeFalse();
    }

    [Fact]
    public void Analyze_LowerIsBetterGuardrailRising_IsARegression()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Guardrails = [ExperimentMetric.Continuous("latency", higherIsBetter: false)] });
        var champion = new Dictionary<string, MetricTally> { ["latency"] = Normal(rng: new Random(1), mean: 100, sd: 10, n: 4000) };
        var challenger = new Dictionary<string, MetricTally> { ["latency"] = Normal(rng: new Random(2), mean: 103, sd: 10, n: 4000) };
        var tallies = new ExperimentTallies(experiment.Key, 4000, 4000, champion, challenger, new Dictionary<string, PairedTally>());

        MetricAnalysis latency = ExperimentAnalyzer.Analyze(experiment, tallies, new ExperimentDecisionOptions()).Guardrails.Single();

        latency.IsRegression.Should().BeTrue();
        latency.IsImprovement.Should().BeFalse();
        latency.Bayesian.Should().BeNull();
        TestResult welch = HypothesisTests.WelchTTest(challenger["latency"].Mean, Math.Sqrt(challenger["latency"].Variance), 4000, champion["latency"].Mean, Math.Sqrt(champion["latency"].Variance), 4000);
        latency.FixedHorizonPValue.Should().Be(welch.PValue);
    }

    [Fact]
    public void Analyze_ShadowSuccessRate_UsesPairedDifferencesAndMcNemar()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Mode = ExperimentMode.Shadow });
        PairedTally pairs = default;
        for (int i = 0; i < 2000; i++)
        {
            // 60 pairs where only the champion is right, 140 where only the challenger is, 1,200 both right.
            (double a, double b) = i < 60 ? (1.0, 0.0) : i < 200 ? (0.0, 1.0) : i < 1400 ? (1.0, 1.0) : (0.0, 0.0);
            pairs = pairs.Add(a, b);
        }

        var tallies = new ExperimentTallies(experiment.Key, 0, 0, new Dictionary<string, MetricTally>(), new Dictionary<string, MetricTally>(), new Dictionary<string, PairedTally> { ["success"] = pairs });
        MetricAnalysis primary = ExperimentAnalyzer.Analyze(experiment, tallies, new ExperimentDecisionOptions()).Primary;

        primary.FixedHorizonPValue.Should().Be(HypothesisTests.McNemar(60, 140, exact: false).PValue);
        primary.Difference.Should().BeApproximately(0.04, 1e-12);
        primary.Sequential.Variance.Should().BeApproximately(pairs.Difference.Variance / 2000, 1e-15);
        primary.IsImprovement.Should().BeTrue();
    }

    [Fact]
    public void Analyze_TalliesOfAnotherExperiment_ThrowsNamingArgument()
    {
        Experiment experiment = ExperimentFixtures.Running();
        ExperimentTallies other = Tallies("other", default, default, 0, 0);
        FluentActions.Invoking(() => ExperimentAnalyzer.Analyze(experiment, other, new ExperimentDecisionOptions()))
            .Should().Throw<ArgumentException>().WithParameterName("tallies");
    }

    internal static ExperimentTallies Tallies(string key, MetricTally champion, MetricTally challenger, long championUnits, long challengerUnits) =>
        new(key, championUnits, challengerUnits,
            new Dictionary<string, MetricTally> { ["success"] = champion },
            new Dictionary<string, MetricTally> { ["success"] = challenger },
            new Dictionary<string, PairedTally>());

    private static (int Sequential, int PeekedFixed) SimulateNull(int seed, double baseline, int perLook, long plannedPerArm)
    {
        var rng = new Random(seed);
        int sequential = 0, peeked = 0;
        for (int s = 0; s < Simulations; s++)
        {
            MetricTally a = default, b = default;
            double p = 1.0;
            bool fixedRejected = false;
            for (int look = 0; look < Looks; look++)
            {
                a = Add(a, Binomial.Sample(rng, baseline, perLook), perLook);
                b = Add(b, Binomial.Sample(rng, baseline, perLook), perLook);
                p = ExperimentAnalyzer.SequentialLive(MetricKind.SuccessRate, a, b, plannedPerArm, Alpha, p).PValue;
                fixedRejected |= HypothesisTests.TwoProportionZTest((long)b.Sum, b.Count, (long)a.Sum, a.Count).PValue < Alpha;
            }

            sequential += p <= Alpha ? 1 : 0;
            peeked += fixedRejected ? 1 : 0;
        }

        return (sequential, peeked);
    }

    private static MetricTally Add(MetricTally tally, int successes, int trials) =>
        tally.Combine(new MetricTally(trials, successes, successes));

    private static MetricTally Normal(Random rng, double mean, double sd, int n)
    {
        MetricTally tally = default;
        for (int i = 0; i < n; i++)
        {
            tally = tally.Add(MathNet.Numerics.Distributions.Normal.Sample(rng, mean, sd));
        }

        return tally;
    }
}
