using SelfLearning.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

/// <summary>Tests of the data-availability, model-freshness and last-training-job health checks.</summary>
public class DataHealthCheckTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 31, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(150, HealthStatus.Healthy)]
    [InlineData(100, HealthStatus.Healthy)]
    [InlineData(99, HealthStatus.Degraded)]
    public async Task DataAvailability_NewCaseCount_ComparedWithTheMinimum(long count, HealthStatus expected)
    {
        var check = new DataAvailabilityHealthCheck(new Cases(() => count), MonitoringTestOptions.Create());

        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(expected);
        result.Data["newCases"].Should().Be(count);
        result.Data["minimumNewCases"].Should().Be(100L);
    }

    [Theory]
    [InlineData(true, HealthStatus.Healthy)]
    [InlineData(false, HealthStatus.Degraded)]
    public async Task DataAvailability_FewCasesRightAfterATraining_IsHealthyUntilTheTrainingIsOld(bool recentlyTrained, HealthStatus expected)
    {
        var check = new DataAvailabilityHealthCheck(new Cases(() => new NewCaseCount(0, Now.AddMinutes(-5), recentlyTrained)), MonitoringTestOptions.Create());

        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(expected, result.Description);
        result.Data["lastTrainedAt"].Should().Be(Now.AddMinutes(-5));
    }

    [Fact]
    public async Task DataAvailability_SourceThrows_ReportsFailureAndLogs()
    {
        var logger = new CapturingLogger<DataAvailabilityHealthCheck>();
        var check = new DataAvailabilityHealthCheck(new Cases(() => throw new IOException("database down")), MonitoringTestOptions.Create(), logger);

        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Exception.Should().BeOfType<IOException>();
        logger.Entries.Should().ContainSingle(e => e.EventId == 5004);
    }

    [Fact]
    public async Task ModelFreshness_ChampionAge_ComparedWithTheMaximum()
    {
        var options = MonitoringTestOptions.Create(o => o.MaximumChampionAge = TimeSpan.FromDays(30));
        var clock = new ManualTimeProvider(Now);
        var champion = new ChampionInfo("triage", 7, Now - TimeSpan.FromDays(30));
        var check = new ModelFreshnessHealthCheck(new Champion(champion), options, clock);

        HealthCheckResult fresh = await check.CheckHealthAsync(new HealthCheckContext());
        clock.Advance(TimeSpan.FromHours(1));
        HealthCheckResult stale = await check.CheckHealthAsync(new HealthCheckContext());

        fresh.Status.Should().Be(HealthStatus.Healthy);
        fresh.Data["ageHours"].Should().Be(720.0);
        stale.Status.Should().Be(HealthStatus.Unhealthy);
        stale.Data["ageHours"].Should().Be(721.0);
        stale.Data["version"].Should().Be(7);
    }

    [Fact]
    public async Task ModelFreshness_NoChampion_IsDegraded()
    {
        var check = new ModelFreshnessHealthCheck(new Champion(null), MonitoringTestOptions.Create(), new ManualTimeProvider(Now));

        (await check.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task LastTrainingJob_FailedSucceededOrNone_ReportsAccordingly()
    {
        var failed = new TrainingJobInfo("job-42", Failed: true, Now, "out of memory");

        HealthCheckResult onFailure = await new LastTrainingJobHealthCheck(new Jobs(failed)).CheckHealthAsync(new HealthCheckContext());
        HealthCheckResult onSuccess = await new LastTrainingJobHealthCheck(new Jobs(failed with { Failed = false, Error = null })).CheckHealthAsync(new HealthCheckContext());
        HealthCheckResult onNone = await new LastTrainingJobHealthCheck(new Jobs(null)).CheckHealthAsync(new HealthCheckContext());

        onFailure.Status.Should().Be(HealthStatus.Unhealthy);
        onFailure.Description.Should().Contain("job-42").And.Contain("out of memory");
        onFailure.Data["error"].Should().Be("out of memory");
        onSuccess.Status.Should().Be(HealthStatus.Healthy);
        onNone.Status.Should().Be(HealthStatus.Healthy);
    }

    private sealed class Cases(Func<NewCaseCount> count) : INewCaseCountProvider
    {
        public Cases(Func<long> count)
            : this(() => (NewCaseCount)count())
        {
        }

        public ValueTask<NewCaseCount> CountNewCasesAsync(CancellationToken cancellationToken) => ValueTask.FromResult(count());
    }

    private sealed class Champion(ChampionInfo? champion) : IChampionInfoProvider
    {
        public ValueTask<ChampionInfo?> GetChampionAsync(CancellationToken cancellationToken) => ValueTask.FromResult(champion);
    }

    private sealed class Jobs(TrainingJobInfo? job) : ILastTrainingJobProvider
    {
        public ValueTask<TrainingJobInfo?> GetLastFinishedJobAsync(CancellationToken cancellationToken) => ValueTask.FromResult(job);
    }
}
