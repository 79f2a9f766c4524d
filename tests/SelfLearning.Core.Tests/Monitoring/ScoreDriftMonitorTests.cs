using SelfLearning.Tests.TestSupport;
using Microsoft.Extensions.Options;
using SelfLearning.Monitoring;
using SelfLearning.Statistics;

namespace SelfLearning.Tests.Monitoring;

public class ScoreDriftMonitorTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly double[] Reference = StreamSimulation.Normal(seed: 31, length: 2_000, mean: 0.0, deviation: 1.0);

    [Fact]
    public void Evaluate_SameDistribution_ReportsNoDriftWithTheLibraryStatistics()
    {
        var monitor = new ScoreDriftMonitor("score", Reference, MonitoringTestOptions.Create(), new ManualTimeProvider(Start));
        double[] live = StreamSimulation.Normal(seed: 32, length: 1_000, mean: 0.0, deviation: 1.0);
        foreach (double x in live)
        {
            monitor.Add(x);
        }

        DriftReport report = monitor.Evaluate();

        report.Psi.Should().Be(DriftStatistics.PopulationStabilityIndex(Reference, live, 10));
        report.KsStatistic.Should().Be(HypothesisTests.KolmogorovSmirnovTwoSample(Reference, live).Statistic);
        report.KsPValue.Should().Be(HypothesisTests.KolmogorovSmirnovTwoSample(Reference, live).PValue);
        report.Psi.Should().BeLessThan(0.1);
        report.Severity.Should().Be(DriftSeverity.None);
        report.IsDrift.Should().BeFalse();
        report.EvaluatedAt.Should().Be(Start);
        monitor.LastReport.Should().BeSameAs(report);
    }

    [Theory]
    [InlineData(0.4, DriftSeverity.Moderate)]
    [InlineData(1.0, DriftSeverity.Major)]
    public void Evaluate_ShiftedMean_BandsThePsiAndFlagsKs(double shift, DriftSeverity expected)
    {
        var monitor = new ScoreDriftMonitor("score", Reference, MonitoringTestOptions.Create());
        foreach (double x in StreamSimulation.Normal(seed: 33, length: 1_000, mean: shift, deviation: 1.0))
        {
            monitor.Add(x);
        }

        DriftReport report = monitor.Evaluate();

        report.Severity.Should().Be(expected);
        report.KsSignificant.Should().BeTrue();
        report.IsDrift.Should().BeTrue();
    }

    [Fact]
    public void Evaluate_MoreValuesThanTheWindow_UsesTheMostRecent()
    {
        var monitor = new ScoreDriftMonitor("score", Reference, MonitoringTestOptions.Create(o => o.WindowSize = 500));
        foreach (double x in StreamSimulation.Normal(seed: 34, length: 2_000, mean: 2.0, deviation: 1.0))
        {
            monitor.Add(x);
        }

        double[] recent = StreamSimulation.Normal(seed: 35, length: 500, mean: 0.0, deviation: 1.0);
        foreach (double x in recent)
        {
            monitor.Add(x);
        }

        DriftReport report = monitor.Evaluate();

        report.LiveCount.Should().Be(500);
        report.Psi.Should().Be(DriftStatistics.PopulationStabilityIndex(Reference, recent, 10));
    }

    [Fact]
    public void Evaluate_TooFewLiveValues_IsInsufficientWithoutStatistics()
    {
        var monitor = new ScoreDriftMonitor("score", Reference, MonitoringTestOptions.Create());
        monitor.Add(5.0);

        DriftReport report = monitor.Evaluate();

        report.IsSufficient.Should().BeFalse();
        report.Psi.Should().BeNull();
        report.KsPValue.Should().BeNull();
        report.IsDrift.Should().BeFalse();
        report.LiveCount.Should().Be(1);
    }

    [Fact]
    public void Add_ManyThreads_KeepsWindowSizeValues()
    {
        var monitor = new ScoreDriftMonitor("score", Reference, MonitoringTestOptions.Create(o => o.WindowSize = 1_000));

        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                monitor.Add(t);
            }
        });

        monitor.LiveCount.Should().Be(1_000);
        monitor.Evaluate().LiveCount.Should().Be(1_000);
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingTheArgument()
    {
        IOptions<MonitoringOptions> options = MonitoringTestOptions.Create();

        FluentActions.Invoking(() => new ScoreDriftMonitor("score", [1.0], options)).Should().Throw<ArgumentException>().WithParameterName("reference");
        FluentActions.Invoking(() => new ScoreDriftMonitor("score", [1.0, double.NaN], options)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("reference");
        FluentActions.Invoking(() => new ScoreDriftMonitor("", [1.0, 2.0], options)).Should().Throw<ArgumentException>().WithParameterName("name");
        FluentActions.Invoking(() => new ScoreDriftMonitor("score", [1.0, 2.0], options).Add(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
    }
}
