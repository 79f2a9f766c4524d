using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Monitoring;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Hosting;

public sealed class SelfLearningBackgroundServiceTests
{
    [Fact]
    public async Task ExecuteAsync_CycleThrows_ReportsTheFailureAndKeepsRunningOnTheClock()
    {
        var clock = new ManualTimeProvider();
        using var host = HostingTestHost.Build(
            b => b.Configure(o => (o.CycleInterval, o.FailureRetryDelay) = (TimeSpan.FromHours(2), TimeSpan.FromHours(2)))
                .AddCaseSource(new FailingSource())
                .ConfigureAnonymizer(o => o.PseudonymizationKey = LoopScenario.PseudonymizationKey)
                .AddModel("triage", _ => { }),
            clock,
            withCases: false);
        var events = new List<SelfLearningEvent>();
        using var subscription = host.Services.GetRequiredService<ISelfLearningEvents>().Subscribe(e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });
        var service = host.Services.GetServices<IHostedService>().OfType<SelfLearningBackgroundService>().Single();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await host.StartAsync(timeout.Token);
        await service.WaitForRoundsAsync(1, timeout.Token);
        clock.Advance(TimeSpan.FromHours(2));
        await service.WaitForRoundsAsync(2, timeout.Token);
        await host.StopAsync(timeout.Token);

        service.Rounds.Should().Be(2);
        lock (events)
        {
            events.Should().HaveCount(2).And.OnlyContain(e => e.Kind == SelfLearningEventKind.JobFailed && e.Message.Contains("case store offline", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task StartAsync_RunInBackgroundOff_LoadsServingStateWithoutRunningCycles()
    {
        using var host = HostingTestHost.Build(b => b.Configure(o => o.RunInBackground = false).AddModel("triage", _ => { }));

        await host.StartAsync();
        var prediction = host.Services.GetRequiredService<IPredictionService>().Predict("triage", "unit-1", 0.8);
        await host.StopAsync();

        prediction.ModelVersion.Should().Be(0);
        prediction.Probability.Should().Be(0.8);
        host.Services.GetServices<IHostedService>().OfType<SelfLearningBackgroundService>().Single().Rounds.Should().Be(0);
    }

    private sealed class FailingSource : ICaseSource
    {
        public IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("case store offline");

        public ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("case store offline");
    }
}
