using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SelfLearning.Hosting;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// The four checks registered by <c>AddHealthChecks().AddSelfLearningChecks()</c> next to <c>AddSelfLearning</c>, read
/// through <see cref="HealthCheckService"/> as a host's health endpoint reads them, in healthy and failing situations
/// of the synthetic host (<see cref="LoopScenario"/>, manual clock).
/// </summary>
public sealed class SelfLearningHealthChecksBuilderExtensionsTests
{
    private const string Data = "selflearning-data-availability";
    private const string Freshness = "selflearning-model-freshness";
    private const string LastJob = "selflearning-last-training-job";
    private const string Drift = "selflearning-drift";

    [Fact]
    public async Task CheckHealthAsync_BeforeAnyTraining_ReportsNoDataNoModelNoJobNoDrift()
    {
        using var scenario = Scenario();
        await scenario.Loop.InitializeAsync();

        var report = await CheckAsync(scenario);

        report.Entries.Keys.Should().BeEquivalentTo(Data, Freshness, LastJob, Drift);
        report.Entries.Values.Should().OnlyContain(e => e.Tags.Contains("selflearning"));
        report.Entries[Data].Status.Should().Be(HealthStatus.Degraded);
        report.Entries[Data].Data["newCases"].Should().Be(0L);
        report.Entries[Freshness].Status.Should().Be(HealthStatus.Degraded);
        report.Entries[Freshness].Data.Should().NotContainKey("version");
        report.Entries[LastJob].Status.Should().Be(HealthStatus.Healthy);
        report.Entries[Drift].Status.Should().Be(HealthStatus.Healthy);
        report.Entries[Drift].Data["errorStreamMonitors"].Should().Be(0);
    }

    [Fact]
    public async Task CheckHealthAsync_AfterAHealthyCycleAndNewCases_IsHealthyWithTheLoopsNumbers()
    {
        using var scenario = Scenario();
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        await scenario.CycleAsync();

        var report = await CheckAsync(scenario);

        report.Status.Should().Be(HealthStatus.Healthy);
        report.Entries[Data].Data["newCases"].Should().Be((long)LoopScenario.RequestsPerDay, "the second day's cases are after the watermark");
        report.Entries[Freshness].Data["version"].Should().Be(1);
        ((double)report.Entries[Freshness].Data["ageHours"]).Should().BeApproximately(24.0, 0.01, "version 1 was activated a day (of traffic) ago");
        var job = (await scenario.Services.GetRequiredService<SelfLearning.Training.ITrainingJobStore>().ListAsync()).Should().ContainSingle().Subject;
        report.Entries[LastJob].Data["jobId"].Should().Be(job.Id);
        report.Entries[LastJob].Data["failed"].Should().Be(false);
        report.Entries[Drift].Data["distributionMonitors"].Should().Be(1);
        report.Entries[Drift].Data["drifted"].Should().Be(0);
    }

    [Fact]
    public async Task CheckHealthAsync_RightAfterTheFirstTraining_DataIsHealthyUntilTheModelsDataStaleAfterPasses()
    {
        using var scenario = Scenario();
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);

        var justTrained = await CheckAsync(scenario);
        scenario.Clock.Advance(TimeSpan.FromDays(8));
        var longAfter = await CheckAsync(scenario);

        justTrained.Entries[Data].Data["newCases"].Should().Be(0L, "every case is behind the new watermark");
        justTrained.Entries[Data].Status.Should().Be(HealthStatus.Healthy, justTrained.Entries[Data].Description);
        longAfter.Entries[Data].Status.Should().Be(HealthStatus.Degraded, "no new case for longer than DataStaleAfter (7 days) is starved data");
    }

    [Fact]
    public async Task CheckHealthAsync_OldChampionFailedJobAndShiftedScores_ReportTheFailureStatus()
    {
        using var scenario = Scenario();
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        await scenario.CycleAsync();
        scenario.Trainer.FailWith = "out of memory";
        await scenario.ServeDayAsync(LoopScenario.Population.Original, lowestScore: 0.85);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.TrainingFailed, "drift triggered a training, which failed");
        scenario.Clock.Advance(TimeSpan.FromDays(31));

        var report = await CheckAsync(scenario);

        report.Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries[Freshness].Status.Should().Be(HealthStatus.Unhealthy);
        ((double)report.Entries[Freshness].Data["ageHours"]).Should().BeGreaterThan(30 * 24);
        report.Entries[LastJob].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries[LastJob].Data["error"].Should().Be("InvalidOperationException: out of memory", "the job engine records the exception type with its message");
        report.Entries[Drift].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries[Drift].Data["drifted"].Should().Be(1);
        ((double)report.Entries[Drift].Data["maxPsi"]).Should().BeGreaterThan(0.25);
        report.Entries[Data].Status.Should().Be(HealthStatus.Healthy, "the failed job registered nothing, so its cases are still new");
    }

    private static LoopScenario Scenario() =>
        new(b => b.Services.AddHealthChecks().AddSelfLearningChecks(["selflearning"], HealthStatus.Unhealthy));

    private static Task<HealthReport> CheckAsync(LoopScenario scenario) =>
        scenario.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
}
