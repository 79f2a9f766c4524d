using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class ThompsonSamplerTests
{
    private const int Rounds = 10_000;

    /// <summary>
    /// Pseudo-regret Δ × (pulls of worse arms) over 10,000 rounds of a seeded Bernoulli bandit. Lai and
    /// Robbins' asymptotic lower bound for 5% vs 10% is Δ / KL(0.05‖0.10) × ln T ≈ 0.05 / 0.0167 × 9.2 ≈ 28;
    /// Thompson sampling attains it asymptotically. The bound asserted, 75, leaves room for finite-T
    /// constants and is a sixth of what an even split pays (0.05 × 5,000 = 250).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ChooseIndex_TwoBernoulliArms_ConvergesWithRegretBelowBound(int seed)
    {
        (double regret, int[] pulls) = Play([0.05, 0.10], seed);

        regret.Should().BeLessThan(75.0);
        pulls[1].Should().BeGreaterThan((int)(0.85 * Rounds), "traffic moves to the better arm");
    }

    [Fact]
    public void ChooseIndex_ThreeArms_FindsTheBestWithRegretBelowBound()
    {
        (double regret, int[] pulls) = Play([0.30, 0.45, 0.40], seed: 11);

        // An even split pays (0.15 + 0.05) / 3 × 10,000 ≈ 667; Thompson's regret grows like ln T instead.
        regret.Should().BeLessThan(150.0);
        pulls[1].Should().BeGreaterThan(pulls[0] + pulls[2]);
    }

    [Fact]
    public void ChooseIndex_SameSeed_SameChoices()
    {
        MetricTally[] arms = [new(40, 10, 10), new(35, 12, 12)];
        var a = new ThompsonSampler(seed: 42);
        var b = new ThompsonSampler(seed: 42);
        var c = new ThompsonSampler(seed: 43);

        int[] first = Enumerable.Range(0, 200).Select(_ => a.ChooseIndex(arms)).ToArray();
        int[] second = Enumerable.Range(0, 200).Select(_ => b.ChooseIndex(arms)).ToArray();
        int[] other = Enumerable.Range(0, 200).Select(_ => c.ChooseIndex(arms)).ToArray();

        second.Should().Equal(first);
        other.Should().NotEqual(first);
        first.Should().Contain(0).And.Contain(1, "both posteriors overlap, so both arms are served");
    }

    [Fact]
    public void Choose_LowerIsBetterMetric_ServesTheArmWithTheLowerRate()
    {
        var metric = ExperimentMetric.SuccessRate("escalated", higherIsBetter: false);
        var tallies = new ExperimentTallies(
            "exp",
            0,
            0,
            new Dictionary<string, MetricTally> { ["escalated"] = new(2_000, 400, 400) },
            new Dictionary<string, MetricTally> { ["escalated"] = new(2_000, 200, 200) },
            new Dictionary<string, PairedTally>());
        var sampler = new ThompsonSampler(seed: 7);

        int challenger = Enumerable.Range(0, 500).Count(_ => sampler.Choose(tallies, metric) == ExperimentArm.Challenger);

        challenger.Should().Be(500, "20% vs 10% escalations over 2,000 trials each leaves no overlap in the posteriors");
    }

    [Fact]
    public void ChooseIndex_BadInput_ThrowsNamingArgument()
    {
        var sampler = new ThompsonSampler(seed: 1);

        FluentActions.Invoking(() => sampler.ChooseIndex([])).Should().Throw<ArgumentException>().WithParameterName("arms");
        FluentActions.Invoking(() => sampler.ChooseIndex([new MetricTally(3, 4, 4)])).Should().Throw<ArgumentException>().WithParameterName("arms").WithMessage("*element 0*");
        FluentActions.Invoking(() => sampler.ChooseIndex([new MetricTally(3, 1, 1), new MetricTally(3, 1.5, 1)])).Should().Throw<ArgumentException>().WithMessage("*element 1*");
        FluentActions.Invoking(() => sampler.Choose(
                new ExperimentTallies("exp", 0, 0, new Dictionary<string, MetricTally>(), new Dictionary<string, MetricTally>(), new Dictionary<string, PairedTally>()),
                ExperimentMetric.Continuous("minutes")))
            .Should().Throw<ArgumentException>().WithParameterName("metric");
        FluentActions.Invoking(() => new ThompsonSampler(1, priorAlpha: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("priorAlpha");
        FluentActions.Invoking(() => new ThompsonSampler(1, priorBeta: double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("priorBeta");
    }

    private static (double Regret, int[] Pulls) Play(double[] rates, int seed)
    {
        var sampler = new ThompsonSampler(seed);
        var world = new Random(seed + 1_000);
        var tallies = new MetricTally[rates.Length];
        var pulls = new int[rates.Length];
        double best = rates.Max(), regret = 0.0;
        for (int t = 0; t < Rounds; t++)
        {
            int arm = sampler.ChooseIndex(tallies);
            pulls[arm]++;
            regret += best - rates[arm];
            tallies[arm] = tallies[arm].Add(world.NextDouble() < rates[arm] ? 1.0 : 0.0);
        }

        return (regret, pulls);
    }
}
