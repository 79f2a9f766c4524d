using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Training;

namespace SelfLearning.Tests.Hosting;

/// <summary>The loop's watch: drift of the champion's live scores and stale data, on the synthetic host of <see cref="LoopScenario"/>.</summary>
public sealed class SelfLearningLoopMonitoringTests
{
    [Fact]
    public async Task RunCycleAsync_ServedScoresShift_PublishesDriftOnceAndRetrainsTriggeredByDrift()
    {
        using var scenario = new LoopScenario();
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);

        // 2,000 new cases: above MinimumCases (1,000), below NewCasesThreshold (3,000); only drift can trigger training.
        await scenario.ServeDayAsync(LoopScenario.Population.Original, lowestScore: 0.85);
        var result = await scenario.CycleAsync();

        result.Outcome.Should().BeOneOf(SelfLearningCycleOutcome.CandidateRejected, SelfLearningCycleOutcome.ChallengerStarted);
        var drift = scenario.Events.Should().ContainSingle(e => e.Kind == SelfLearningEventKind.DriftDetected).Subject;
        drift.Version.Should().Be(1);
        ((double)drift.Properties["psi"]!).Should().BeGreaterThan(0.25);
        var jobs = await scenario.Services.GetRequiredService<ITrainingJobStore>().ListAsync(LoopScenario.Model);
        jobs.Select(j => j.Trigger).Should().Equal(TrainingTriggerKind.NewCases, TrainingTriggerKind.Drift);
        jobs[^1].State.Should().Be(TrainingJobState.Completed);

        await scenario.CycleAsync();
        scenario.Events.Count(e => e.Kind == SelfLearningEventKind.DriftDetected).Should().Be(1, "drift is published once per detection");
    }

    [Fact]
    public async Task RunCycleAsync_RetrainOnDriftOff_PublishesDriftButDoesNotTrain()
    {
        using var scenario = new LoopScenario(b => b.Services.Configure<SelfLearningModelOptions>(LoopScenario.Model, m => m.RetrainOnDrift = false));
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        await scenario.CycleAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original, lowestScore: 0.85);

        var result = await scenario.CycleAsync();

        result.Outcome.Should().Be(SelfLearningCycleOutcome.Idle);
        scenario.Events.Should().ContainSingle(e => e.Kind == SelfLearningEventKind.DriftDetected);
    }

    [Fact]
    public async Task RunCycleAsync_StationaryStream_PublishesNoDriftAndStaysIdle()
    {
        using var scenario = new LoopScenario();
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        await scenario.CycleAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);

        var result = await scenario.CycleAsync();

        result.Outcome.Should().Be(SelfLearningCycleOutcome.Idle);
        scenario.Events.Should().NotContain(e => e.Kind == SelfLearningEventKind.DriftDetected);
        var report = scenario.Services.GetRequiredService<DriftMonitorSet>().GetDistributionReports().Should().ContainSingle().Subject;
        report.Monitor.Should().Be("triage/v1/score");
        report.LiveCount.Should().Be(LoopScenario.RequestsPerDay);
        report.IsDrift.Should().BeFalse();
    }

    [Fact]
    public async Task RunCycleAsync_NoNewCasesForDataStaleAfter_PublishesDataStaleOnceUntilDataArrives()
    {
        using var scenario = new LoopScenario();
        await scenario.Loop.InitializeAsync();
        int Stale() => scenario.Events.Count(e => e.Kind == SelfLearningEventKind.DataStale);

        await scenario.CycleAsync();
        scenario.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        await scenario.CycleAsync();
        Stale().Should().Be(0);

        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        await scenario.CycleAsync();
        await scenario.CycleAsync();
        Stale().Should().Be(1);

        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);
        scenario.Clock.Advance(TimeSpan.FromDays(6));
        await scenario.CycleAsync();
        Stale().Should().Be(1, "cases arrived");

        scenario.Clock.Advance(TimeSpan.FromDays(1));
        await scenario.CycleAsync();
        Stale().Should().Be(2);
    }
}
