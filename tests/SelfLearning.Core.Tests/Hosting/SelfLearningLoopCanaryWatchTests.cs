using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using static SelfLearning.Tests.Hosting.LoopScenario;

namespace SelfLearning.Tests.Hosting;

/// <summary>The champion is watched on every cycle, also while a canary runs against it.</summary>
public sealed class SelfLearningLoopCanaryWatchTests
{
    [Fact]
    public async Task RunCycle_ChampionRegressesDuringCanary_RollsBackAndEndsTheCanary()
    {
        using var scenario = new LoopScenario();
        await scenario.Loop.InitializeAsync();

        // As in the end-to-end script: a first champion (holdout accuracy about 0.65), a quiet day, a refused
        // candidate, then the population drifts and a drift-triggered recalibration starts a canary (version 3).
        await scenario.ServeDayAsync(Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);
        await scenario.ServeDayAsync(Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.Idle);
        await scenario.ServeDayAsync(Population.Original);
        scenario.Trainer.Sabotage = true;
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.CandidateRejected);
        scenario.Trainer.Sabotage = false;
        await scenario.ServeDayAsync(Population.Drifted);
        var canary = await scenario.CycleAsync();
        canary.Outcome.Should().Be(SelfLearningCycleOutcome.ChallengerStarted, canary.Message);
        canary.Version.Should().Be(3);

        // Day 5: an upstream fault makes the host right less than half the time, on the champion's own traffic.
        await scenario.ServeDayAsync(Population.Degraded);
        var watched = await scenario.CycleAsync();

        watched.Outcome.Should().Be(SelfLearningCycleOutcome.RolledBack, watched.Message);
        watched.Version.Should().Be(1);
        var registry = scenario.Services.GetRequiredService<IModelRegistry>();
        (await registry.GetChampionAsync(Model)).Should().BeNull("version 1 was the first champion, so nothing older can serve");
        (await registry.GetAsync(Model, 1)).Stage.Should().Be(ModelStage.Rejected);
        (await registry.GetAsync(Model, 3)).Stage.Should().Be(ModelStage.Archived, "a canary measured against a rolled-back champion is over");
        var experiments = await scenario.Services.GetRequiredService<IExperimentStore>().ListExperimentsAsync();
        experiments.Should().ContainSingle().Which.Status.Should().Be(ExperimentStatus.Inconclusive);
        scenario.Events.Should().Contain(e => e.Kind == SelfLearningEventKind.RolledBack && e.Version == 1);
    }
}
