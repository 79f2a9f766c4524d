using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Tests.Hosting;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// Issue 12, point 5: a 60-day <c>CycleInterval</c> passed validation, then <c>Task.Delay</c> rejected it and the
/// failure stopped the host. Every TimeSpan option is now validated at start against what the runtime can wait for
/// (or add to a date), and a failed cycle is logged, published and retried with capped exponential backoff.
/// </summary>
public sealed class LongCycleIntervalTests
{
    [Fact]
    public async Task Start_SixtyDayCycleInterval_FailsNamingTheSettingAndTheTimerLimit()
    {
        using var host = HostingTestHost.Build(b => b.Configure(o => o.CycleInterval = TimeSpan.FromDays(60)).AddModel("triage", _ => { }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .Contain("SelfLearning:CycleInterval is 60.00:00:00").And.Contain("49.7 days");
    }

    [Fact]
    public async Task Start_CycleIntervalAtTheTimerLimit_Starts()
    {
        using var host = HostingTestHost.Build(b => b.Configure(o => (o.CycleInterval, o.RunInBackground) = (SelfLearningOptions.MaxWait, false)).AddModel("triage", _ => { }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().BeEmpty();
    }

    [Theory]
    [InlineData(nameof(SelfLearningOptions.FailureRetryDelay), 0.0)]
    [InlineData(nameof(SelfLearningOptions.FailureRetryDelay), 50.0)]
    [InlineData(nameof(SelfLearningOptions.CycleInterval), -1.0)]
    public async Task Start_WaitOutOfRange_FailsNamingTheSetting(string option, double days)
    {
        using var host = HostingTestHost.Build(b => b.Configure(o =>
        {
            if (option == nameof(SelfLearningOptions.FailureRetryDelay))
            {
                o.FailureRetryDelay = TimeSpan.FromDays(days);
            }
            else
            {
                o.CycleInterval = TimeSpan.FromDays(days);
            }
        }).AddModel("triage", _ => { }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should().StartWith($"SelfLearning:{option} ");
    }

    [Theory]
    [InlineData(nameof(SelfLearningModelOptions.MaximumExperimentDuration))]
    [InlineData(nameof(SelfLearningModelOptions.DataStaleAfter))]
    [InlineData(nameof(SelfLearningModelOptions.MinimumStepDuration))]
    [InlineData(nameof(SelfLearningModelOptions.MinimumInterval))]
    public async Task Start_ModelDurationBeyondAHundredYears_FailsNamingTheSetting(string option)
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", m =>
        {
            switch (option)
            {
                case nameof(SelfLearningModelOptions.MaximumExperimentDuration): m.MaximumExperimentDuration = TimeSpan.MaxValue; break;
                case nameof(SelfLearningModelOptions.DataStaleAfter): m.DataStaleAfter = TimeSpan.MaxValue; break;
                case nameof(SelfLearningModelOptions.MinimumStepDuration): m.MinimumStepDuration = TimeSpan.MaxValue; break;
                default: m.MinimumInterval = TimeSpan.MaxValue; break;
            }
        }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should().StartWith($"SelfLearning:Models:triage:{option} is ").And.Contain("36500 days");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(7, 60)]
    [InlineData(1_000, 60)]
    [InlineData(int.MaxValue, 60)]
    public void RetryDelay_ConsecutiveFailures_DoublesFromTheFirstDelayUpToTheInterval(int failures, int expectedMinutes)
    {
        var settings = new SelfLearningOptions { CycleInterval = TimeSpan.FromHours(1), FailureRetryDelay = TimeSpan.FromMinutes(1) };

        SelfLearningBackgroundService.RetryDelay(failures, settings).Should().Be(TimeSpan.FromMinutes(expectedMinutes));
    }

    [Fact]
    public void RetryDelay_FirstDelayLongerThanTheInterval_WaitsTheInterval()
    {
        var settings = new SelfLearningOptions { CycleInterval = TimeSpan.FromMinutes(10), FailureRetryDelay = TimeSpan.FromHours(1) };

        SelfLearningBackgroundService.RetryDelay(1, settings).Should().Be(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task ExecuteAsync_CyclesKeepFailing_RetriesAfterOneTwoFourMinutesThenReturnsToTheInterval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var source = new FlakySource();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSelfLearning(o => (o.CycleInterval, o.FailureRetryDelay) = (TimeSpan.FromHours(2), TimeSpan.FromMinutes(1)))
            .AddTrainer(new CalibrationTestTrainer())
            .AddCaseSource(source)
            .ConfigureAnonymizer(o => o.PseudonymizationKey = HostedLoop.Key)
            .AddModel("triage", m => m.TrainerType = CalibrationTestTrainer.Type);
        using var host = builder.Build();
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
        clock.Advance(TimeSpan.FromMinutes(1));
        await service.WaitForRoundsAsync(2, timeout.Token);
        clock.Advance(TimeSpan.FromMinutes(2));
        await service.WaitForRoundsAsync(3, timeout.Token);
        source.Failing = false;
        clock.Advance(TimeSpan.FromMinutes(4));
        await service.WaitForRoundsAsync(4, timeout.Token);
        int readsAfterRecovery = source.Calls;
        clock.Advance(TimeSpan.FromHours(2));
        await service.WaitForRoundsAsync(5, timeout.Token);
        await host.StopAsync(timeout.Token);

        lock (events)
        {
            events.Where(e => e.Kind == SelfLearningEventKind.JobFailed).Select(e => e.Message).Should().SatisfyRespectively(
                m => m.Should().Contain("1 in a row").And.Contain("offline").And.Contain("retried in 00:01:00"),
                m => m.Should().Contain("2 in a row").And.Contain("retried in 00:02:00"),
                m => m.Should().Contain("3 in a row").And.Contain("retried in 00:04:00"));
        }

        source.Calls.Should().BeGreaterThan(readsAfterRecovery, "the recovered model runs again one interval later");
        service.Rounds.Should().Be(5);
    }

    private sealed class FlakySource : ICaseSource
    {
        private int _calls;
        private volatile bool _failing = true;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public int Calls => Volatile.Read(ref _calls);

        public IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Failing ? throw new InvalidOperationException("case store offline") : AsyncEnumerable.Empty<FeedbackCase>();
        }

        public ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Failing ? throw new InvalidOperationException("case store offline") : ValueTask.FromResult(0L);
        }
    }
}
