using Microsoft.Extensions.Diagnostics.HealthChecks;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class DriftHealthCheckTests
{
    private static readonly double[] Reference = StreamSimulation.Normal(seed: 61, length: 1_000, mean: 0.0, deviation: 1.0);

    [Fact]
    public async Task CheckHealth_NoMonitors_IsHealthy()
    {
        HealthCheckResult result = await new DriftHealthCheck(new DriftMonitorSet()).CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Healthy);
        result.Data["distributionMonitors"].Should().Be(0);
    }

    [Fact]
    public async Task CheckHealth_MajorDrift_ReportsTheRegistrationsFailureStatusWithNumbers()
    {
        var set = new DriftMonitorSet();
        set.Set(Monitor("stable", shift: 0.0));
        ScoreDriftMonitor drifted = Monitor("age", shift: 1.5);
        set.Set(drifted);
        var context = new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("drift", new DriftHealthCheck(set), HealthStatus.Degraded, null),
        };

        HealthCheckResult result = await new DriftHealthCheck(set).CheckHealthAsync(context);

        result.Status.Should().Be(HealthStatus.Degraded, "the registration asks for Degraded on failure");
        result.Description.Should().Contain("age").And.NotContain("stable");
        result.Data["drifted"].Should().Be(1);
        result.Data["maxPsi"].Should().Be(drifted.LastReport!.Psi!.Value);
    }

    [Fact]
    public async Task CheckHealth_ModeratePsiOnly_IsDegraded()
    {
        var provider = new FixedDriftStatus(
            [new DriftReport("score", 1_000, 500, 0.15, 0.02, 0.3, DriftSeverity.Moderate, KsSignificant: false, DateTimeOffset.UnixEpoch)],
            []);

        HealthCheckResult result = await new DriftHealthCheck(provider).CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Degraded);
        result.Data["maxPsi"].Should().Be(0.15);
    }

    [Fact]
    public async Task CheckHealth_AlarmedErrorStream_IsUnhealthy()
    {
        var provider = new FixedDriftStatus([], [new ErrorStreamStatus("triage/v7", 5_000, 0.4, 300, 12.0, 1, DateTimeOffset.UnixEpoch, IsAlarmed: true)]);

        HealthCheckResult result = await new DriftHealthCheck(provider).CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("triage/v7");
        result.Data["alarmedErrorStreams"].Should().Be(1);
    }

    private static ScoreDriftMonitor Monitor(string name, double shift)
    {
        var monitor = new ScoreDriftMonitor(name, Reference, MonitoringTestOptions.Create());
        foreach (double x in StreamSimulation.Normal(seed: 62, length: 500, mean: shift, deviation: 1.0))
        {
            monitor.Add(x);
        }

        monitor.Evaluate();
        return monitor;
    }

    private sealed class FixedDriftStatus(IReadOnlyList<DriftReport> reports, IReadOnlyList<ErrorStreamStatus> streams) : IDriftStatusProvider
    {
        public IReadOnlyList<DriftReport> GetDistributionReports() => reports;

        public IReadOnlyList<ErrorStreamStatus> GetErrorStreams() => streams;
    }
}
