using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class InMemoryExperimentStoreTests : ExperimentStoreContractTests
{
    protected override IExperimentStore CreateStore(TimeProvider timeProvider, ExperimentStoreOptions options) => new InMemoryExperimentStore(timeProvider, options);

    [Fact]
    public async Task RecordPredictionAsync_ManyNeverLabelled_KeepsOnlyThoseWithinTheirTimeToLive()
    {
        var store = new InMemoryExperimentStore(Clock, Options());
        Experiment experiment = ExperimentFixtures.Running();
        await store.SaveExperimentAsync(experiment);

        // Ten weeks of 1,000 predictions a day, none ever labelled.
        for (int day = 0; day < 70; day++)
        {
            for (int i = 0; i < 1_000; i++)
            {
                await store.RecordPredictionAsync(new PredictionRecord(experiment.Key, $"d{day}-p{i}", (ExperimentArm)(i % 2), servedOutput: "flu"));
            }

            Clock.Advance(TimeSpan.FromDays(1));
            store.PendingCount.Should().BeLessThanOrEqualTo(7_000, "no more than a week of predictions is kept");
        }

        (await store.GetTalliesAsync(experiment.Key)).ExpiredPredictions.Should().Be(70_000 - store.PendingCount);
        store.PendingCount.Should().Be(6_000, "the predictions of the last six days have time left; the seventh expired at the last advance");
    }

    [Fact]
    public async Task RecordExposureAsync_BeyondTheCap_StopsCountingNewUnitsButStillKnowsTrackedOnes()
    {
        var store = new InMemoryExperimentStore(Clock, new ExperimentStoreOptions { MaximumTrackedUnitsPerExperiment = 1_000 });
        Experiment experiment = ExperimentFixtures.Running();
        await store.SaveExperimentAsync(experiment);

        int counted = 0;
        for (int i = 0; i < 5_000; i++)
        {
            counted += await store.RecordExposureAsync(experiment.Key, $"unit-{i}", (ExperimentArm)(i % 2)) ? 1 : 0;
        }

        (await store.RecordExposureAsync(experiment.Key, "unit-7", ExperimentArm.Challenger)).Should().BeFalse("unit-7 is tracked");
        counted.Should().Be(1_000);
        ExperimentTallies tallies = await store.GetTalliesAsync(experiment.Key);
        (tallies.ChampionExposures, tallies.ChallengerExposures).Should().Be((500, 500), "the first 1,000 units, alternating arms");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheLimit()
    {
        FluentActions.Invoking(() => new InMemoryExperimentStore(Clock, new ExperimentStoreOptions { PendingPredictionTimeToLive = TimeSpan.Zero }))
            .Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().WithMessage("*PendingPredictionTimeToLive*");
        FluentActions.Invoking(() => new InMemoryExperimentStore(Clock, new ExperimentStoreOptions { MaximumTrackedUnitsPerExperiment = 0 }))
            .Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().WithMessage("*MaximumTrackedUnitsPerExperiment*");
    }
}
