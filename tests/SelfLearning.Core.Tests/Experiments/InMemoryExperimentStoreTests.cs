using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class InMemoryExperimentStoreTests : ExperimentStoreContractTests
{
    protected override IExperimentStore CreateStore(TimeProvider timeProvider, ExperimentStoreOptions options) => new InMemoryExperimentStore(timeProvider, options);

    [Fact]
    public async Task SaveExperimentAsync_Concluded_ReleasesTheUnitFingerprints()
    {
        var store = new InMemoryExperimentStore(Clock, Options());
        Experiment experiment = ExperimentFixtures.Running();
        await store.SaveExperimentAsync(experiment);
        for (int i = 0; i < 1_000; i++)
        {
            await store.RecordExposureAsync(experiment.Key, "unit-" + i, (ExperimentArm)(i % 2));
        }

        store.TrackedUnitCount(experiment.Key).Should().Be(1_000);
        await store.SaveExperimentAsync(experiment.Conclude(ExperimentStatus.Promoted, Clock.GetUtcNow()));

        store.TrackedUnitCount(experiment.Key).Should().Be(0);
        (await store.GetTalliesAsync(experiment.Key)).ChampionExposures.Should().Be(500);
    }

    [Fact]
    public async Task RecordPredictionAsync_BeyondMaximumPendingPredictions_EvictsTheOldestAndCountsThem()
    {
        var options = Options();
        options.MaximumPendingPredictions = 3;
        var store = new InMemoryExperimentStore(Clock, options);
        Experiment experiment = ExperimentFixtures.Running();
        await store.SaveExperimentAsync(experiment);
        await store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p0", ExperimentArm.Champion, servedOutput: "flu"));
        (await store.RecordLabelAsync("p0", "success", "flu")).Should().BeTrue();

        for (int i = 1; i <= 4; i++)
        {
            await store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p" + i, ExperimentArm.Champion, servedOutput: "flu"));
        }

        store.PendingCount.Should().Be(3);
        store.EvictedPredictions.Should().Be(2, "p0 and p1 were the oldest");
        (await store.GetTalliesAsync(experiment.Key)).ExpiredPredictions.Should().Be(1, "p0 had its outcome; only p1 was forgotten without one");
        (await store.RecordLabelAsync("p1", "success", "flu")).Should().BeFalse();
        (await store.RecordLabelAsync("p4", "success", "flu")).Should().BeTrue();
    }

    [Fact]
    public void Constructor_MaximumPendingPredictionsBelowOne_ThrowsNamingIt()
    {
        var options = Options();
        options.MaximumPendingPredictions = 0;

        var act = () => new InMemoryExperimentStore(Clock, options);

        act.Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().WithMessage("*MaximumPendingPredictions*");
    }

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
