using Microsoft.Extensions.Options;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class LiveMetricsTests
{
    [Fact]
    public void GetWindow_SameKey_ReturnsTheSameWindowWithTheOptionsSizes()
    {
        var metrics = new LiveMetrics(MonitoringTestOptions.Create(o => { o.WindowSize = 200; o.WindowDuration = TimeSpan.FromHours(2); }));

        LiveMetricsWindow first = metrics.GetWindow("triage", 1);

        metrics.GetWindow("triage", 1).Should().BeSameAs(first);
        metrics.GetWindow("triage", 2).Should().NotBeSameAs(first);
        first.Capacity.Should().Be(200);
        first.Duration.Should().Be(TimeSpan.FromHours(2));
    }

    [Fact]
    public void Snapshots_SeveralVersions_OrderedByModelThenVersion()
    {
        var metrics = new LiveMetrics(MonitoringTestOptions.Create());
        metrics.Record("triage", 2, 0.9, true);
        metrics.Record("billing", 1, 0.7, false);
        metrics.Record("triage", 10, 0.6, true);
        metrics.Record("triage", 1, 0.8, true);

        IReadOnlyList<LiveMetricsSnapshot> snapshots = metrics.Snapshots();

        snapshots.Select(s => $"{s.Model}/{s.Version}").Should().Equal(["billing/1", "triage/1", "triage/2", "triage/10"], "versions are numbers: 10 comes after 2");
        snapshots[0].Accuracy.Should().Be(0.0);
        snapshots[1].Accuracy.Should().Be(1.0);
    }

    [Fact]
    public void Remove_ExistingWindow_ForgetsIt()
    {
        var metrics = new LiveMetrics(MonitoringTestOptions.Create());
        metrics.Record("triage", 1, 0.9, true);

        metrics.Remove("triage", 1).Should().BeTrue();

        metrics.TryGetWindow("triage", 1, out _).Should().BeFalse();
        metrics.Remove("triage", 1).Should().BeFalse();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheSetting()
    {
        FluentActions.Invoking(() => new LiveMetrics(MonitoringTestOptions.Create(o => o.WindowSize = 3)))
            .Should().Throw<OptionsValidationException>().WithMessage("*WindowSize*3*");
    }

    [Fact]
    public void GetWindow_NegativeVersion_ThrowsNamingVersionAndValue()
    {
        var metrics = new LiveMetrics(MonitoringTestOptions.Create());

        FluentActions.Invoking(() => metrics.GetWindow("triage", -1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("version").WithMessage("*-1*");
        metrics.GetWindow("triage", 0).Version.Should().Be(0, "version 0 is the uncalibrated baseline served before the first champion");
    }
}
