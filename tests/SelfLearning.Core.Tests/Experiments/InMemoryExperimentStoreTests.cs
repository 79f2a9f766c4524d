using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class InMemoryExperimentStoreTests
{
    private readonly InMemoryExperimentStore _store = new();

    [Fact]
    public async Task RecordOutcomeAsync_ManyThreads_CountsEveryOutcomeExactly()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Guardrails = [ExperimentMetric.Continuous("latency", higherIsBetter: false)] });
        await _store.SaveExperimentAsync(experiment);

        await Parallel.ForAsync(0, 8, async (thread, ct) =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                ExperimentArm arm = (ExperimentArm)(i % 2);
                await _store.RecordOutcomeAsync(experiment.Key, arm, "success", i % 3 == 0 ? 1 : 0, ct);
                await _store.RecordOutcomeAsync(experiment.Key, arm, "latency", 2.0, ct);
                await _store.RecordExposureAsync(experiment.Key, $"unit-{i}", arm, ct);
            }
        });

        ExperimentTallies tallies = await _store.GetTalliesAsync(experiment.Key);
        MetricTally champion = tallies.Get("success", ExperimentArm.Champion);
        champion.Count.Should().Be(8 * 2_500);
        champion.Sum.Should().Be(8 * 834, "i % 3 == 0 for 834 of the 2,500 even i below 5,000");
        tallies.Get("latency", ExperimentArm.Challenger).Should().Be(new MetricTally(20_000, 40_000, 80_000));
        (tallies.ChampionExposures, tallies.ChallengerExposures).Should().Be((2_500, 2_500), "each unit is counted once across the 8 threads");
    }

    [Fact]
    public async Task RecordLabelAsync_LabelArrivesLater_CountsForTheServingArmOnce()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await _store.SaveExperimentAsync(experiment);
        await _store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Challenger, servedOutput: "flu"));
        await _store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p2", ExperimentArm.Challenger, servedOutput: "cold"));

        (await _store.RecordLabelAsync("p1", "success", "flu")).Should().BeTrue();
        (await _store.RecordLabelAsync("p2", "success", "flu")).Should().BeTrue();
        (await _store.RecordLabelAsync("p1", "success", "flu")).Should().BeFalse("a prediction is labelled once");
        (await _store.RecordLabelAsync("unknown", "success", "flu")).Should().BeFalse();

        ExperimentTallies tallies = await _store.GetTalliesAsync(experiment.Key);
        tallies.Get("success", ExperimentArm.Challenger).Should().Be(new MetricTally(2, 1, 1));
        tallies.Get("success", ExperimentArm.Champion).Count.Should().Be(0);
    }

    [Fact]
    public async Task RecordLabelAsync_ShadowPrediction_RecordsThePair()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Mode = ExperimentMode.Shadow });
        await _store.SaveExperimentAsync(experiment);
        await _store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion, "flu", "cold"));
        await _store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p2", ExperimentArm.Champion, "flu", "cold"));

        await _store.RecordLabelAsync("p1", "success", "cold");
        await _store.RecordLabelAsync("p2", "success", "flu");

        PairedTally paired = (await _store.GetTalliesAsync(experiment.Key)).GetPaired("success");
        paired.Champion.Should().Be(new MetricTally(2, 1, 1));
        paired.Challenger.Should().Be(new MetricTally(2, 1, 1));
        (paired.ChampionOnly, paired.ChallengerOnly).Should().Be((1, 1));
    }

    [Fact]
    public async Task RecordDelayedOutcomeAsync_ContinuousValue_CountsForTheServingArm()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { PrimaryMetric = ExperimentMetric.Continuous("minutes", higherIsBetter: false) });
        await _store.SaveExperimentAsync(experiment);
        await _store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion));

        (await _store.RecordDelayedOutcomeAsync("p1", "minutes", 12.5)).Should().BeTrue();
        (await _store.RecordDelayedOutcomeAsync("p1", "minutes", 12.5)).Should().BeFalse();

        (await _store.GetTalliesAsync(experiment.Key)).Get("minutes", ExperimentArm.Champion).Should().Be(new MetricTally(1, 12.5, 156.25));
        await FluentActions.Awaiting(() => _store.RecordLabelAsync("p1", "minutes", "x").AsTask()).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task RecordOutcomeAsync_BadInput_ThrowsNamingArgument()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await _store.SaveExperimentAsync(experiment);

        await FluentActions.Awaiting(() => _store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "success", 0.5).AsTask())
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("value");
        await FluentActions.Awaiting(() => _store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "nope", 1).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithParameterName("metric");
        await FluentActions.Awaiting(() => _store.RecordOutcomeAsync("missing", ExperimentArm.Champion, "success", 1).AsTask())
            .Should().ThrowAsync<KeyNotFoundException>().WithMessage("*missing*");
        await FluentActions.Awaiting(() => _store.RecordPairedOutcomeAsync(experiment.Key, "success", 1, double.NaN).AsTask())
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("challengerValue");
        await _store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion));
        await FluentActions.Awaiting(() => _store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion)).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithParameterName("prediction");
    }

    [Fact]
    public async Task SaveExperimentAsync_NewState_KeepsTalliesAndDecisions()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await _store.SaveExperimentAsync(experiment);
        await _store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "success", 1);

        await _store.SaveExperimentAsync(experiment.RampUp(ExperimentFixtures.Epoch.AddDays(1)));

        (await _store.FindExperimentAsync(experiment.Key))!.RampStep.Should().Be(1);
        (await _store.GetTalliesAsync(experiment.Key)).Get("success", ExperimentArm.Champion).Count.Should().Be(1);
        (await _store.ListExperimentsAsync()).Should().ContainSingle();
        (await _store.FindExperimentAsync("other")).Should().BeNull();
    }
}
