using SelfLearning.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class ErrorStreamMonitorTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_ErrorRateRises_AlarmsLogsAndStaysAlarmedUntilAcknowledged()
    {
        var clock = new ManualTimeProvider(Start);
        var logger = new CapturingLogger<ErrorStreamMonitor>();
        var monitor = new ErrorStreamMonitor("triage/v7", MonitoringTestOptions.Create(), clock, logger);
        double[] errors = StreamSimulation.Errors(seed: 51, length: 6_000, before: 0.1, changeAt: 4_000, after: 0.4);

        int firstChange = Array.FindIndex(errors, e => monitor.Record(correct: e == 0.0));

        firstChange.Should().BeInRange(4_000, 4_300);
        ErrorStreamStatus status = monitor.GetStatus();
        status.IsAlarmed.Should().BeTrue();
        status.LastChangeAt.Should().Be(Start);
        status.Observations.Should().Be(firstChange + 1);
        logger.Entries.Should().Contain(e => e.EventId == 5003 && e.Level == LogLevel.Warning);

        monitor.Acknowledge();
        monitor.GetStatus().IsAlarmed.Should().BeFalse();
        monitor.GetStatus().Changes.Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public void Record_ManyThreadsOnAStationaryStream_CountsEveryOutcomeWithoutAlarm()
    {
        var monitor = new ErrorStreamMonitor("triage/v7", MonitoringTestOptions.Create());

        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                monitor.Record(correct: i % 10 != 0);
            }
        });

        ErrorStreamStatus status = monitor.GetStatus();
        status.Observations.Should().Be(16_000);
        status.AdwinWidth.Should().Be(16_000);
        status.ErrorRate.Should().BeApproximately(0.1, 1e-12);
        status.IsAlarmed.Should().BeFalse();
    }
}
