using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Tests.TestSupport;
using SelfLearning.Training;

namespace SelfLearning.Tests.Hosting;

/// <summary>Every training the loop runs is a job in <see cref="ITrainingJobStore"/>: completed, failed or cancelled by shutdown.</summary>
public sealed class SelfLearningLoopTrainingTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task StopAsync_DuringTraining_RecordsTheJobCancelledAndRegistersNothing()
    {
        var trainer = new BlockingTrainer();
        using var host = Host(trainer, runInBackground: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await host.StartAsync(timeout.Token);
        await trainer.Started.Task.WaitAsync(timeout.Token);
        await host.StopAsync(timeout.Token);

        var jobs = host.Services.GetRequiredService<ITrainingJobStore>();
        var job = (await jobs.ListAsync(LoopScenario.Model)).Should().ContainSingle().Subject;
        job.State.Should().Be(TrainingJobState.Cancelled);
        job.Trigger.Should().Be(TrainingTriggerKind.NewCases);
        job.FinishedAt.Should().NotBeNull();
        (await jobs.GetTransitionsAsync(job.Id)).Select(t => t.To).Should().Equal(TrainingJobState.Running, TrainingJobState.Cancelled);
        trainer.SawCancellation.Should().BeTrue();
        (await host.Services.GetRequiredService<IModelRegistry>().ListModelsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task RunCycleAsync_TrainerThrows_RecordsTheJobFailedWithItsReasonAndPublishesJobFailed()
    {
        using var host = Host(new FailingTrainer(), runInBackground: false);
        await host.StartAsync();
        var events = new List<SelfLearningEvent>();
        using var subscription = host.Services.GetRequiredService<ISelfLearningEvents>().Subscribe(events.Add);

        var result = await host.Services.GetRequiredService<ISelfLearningLoop>().RunCycleAsync(LoopScenario.Model);
        await host.StopAsync();

        result.Outcome.Should().Be(SelfLearningCycleOutcome.TrainingFailed);
        var job = (await host.Services.GetRequiredService<ITrainingJobStore>().ListAsync(LoopScenario.Model)).Should().ContainSingle().Subject;
        job.State.Should().Be(TrainingJobState.Failed);
        job.FailureReason.Should().Be("InvalidOperationException: " + FailingTrainer.Reason);
        events.Should().ContainSingle().Which.Should().Match<SelfLearningEvent>(e => e.Kind == SelfLearningEventKind.JobFailed && e.Message.Contains(job.Id, StringComparison.Ordinal));
        (await host.Services.GetRequiredService<IModelRegistry>().ListModelsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task RunCycleAsync_TrainerThrows_FiresTheRunbooksTrainingAlerts()
    {
        // docs/operations.md: a failing training is log event 4004 (Error) and selflearning.training.jobs{status="failed"}.
        var logs = new CapturingLoggerProvider();
        using var host = HostingTestHost.Build(
            b => b.Configure(o => o.RunInBackground = false)
                .AddModelType(new FailingTrainer(), new CalibratorLoader("failing"))
                .AddCaseSource(new InMemoryCaseSource(HostFeedback.Overconfident(1_500, 3, Start)))
                .ConfigureAnonymizer(o => o.PseudonymizationKey = LoopScenario.PseudonymizationKey)
                .AddModel(LoopScenario.Model, m => (m.TrainerType, m.MinimumCases) = ("failing", 1_000)),
            new ManualTimeProvider(Start.AddDays(1)),
            withCases: false,
            before: services => services.AddLogging(l => l.AddProvider(logs)));
        var measured = new List<(long Value, string? Model, string? Status)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SelfLearningTelemetry.Name && instrument.Name == SelfLearningInstruments.TrainingJobs)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var byKey = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            lock (measured)
            {
                measured.Add((value, byKey.GetValueOrDefault("model"), byKey.GetValueOrDefault("status")));
            }
        });
        listener.Start();
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<ISelfLearningLoop>().RunCycleAsync(LoopScenario.Model);
        await host.StopAsync();

        result.Outcome.Should().Be(SelfLearningCycleOutcome.TrainingFailed);
        var job = (await host.Services.GetRequiredService<ITrainingJobStore>().ListAsync(LoopScenario.Model)).Should().ContainSingle().Subject;
        logs.Entries.Should().Contain(e => e.EventId == 4004 && e.Level == LogLevel.Error && e.Message.Contains(job.Id, StringComparison.Ordinal) && e.Message.Contains(FailingTrainer.Reason, StringComparison.Ordinal));
        lock (measured)
        {
            measured.Should().Contain((1L, LoopScenario.Model, "failed"));
        }
    }

    [Fact]
    public async Task RunCycleAsync_TrainingCompletes_RecordsTheJobWithMetricsAndLinksItFromTheVersion()
    {
        using var host = Host(new CalibrationTestTrainer(), runInBackground: false);
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<ISelfLearningLoop>().RunCycleAsync(LoopScenario.Model);
        await host.StopAsync();

        result.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, result.Message);
        var job = (await host.Services.GetRequiredService<ITrainingJobStore>().ListAsync(LoopScenario.Model)).Should().ContainSingle().Subject;
        job.State.Should().Be(TrainingJobState.Completed);
        job.Metrics.Should().ContainKey(TrainingMetrics.BrierScore);
        job.ParametersUsed!.Values.Should().ContainKey("method");
        (await host.Services.GetRequiredService<IModelRegistry>().GetAsync(LoopScenario.Model, 1)).Lineage.TrainingJobId.Should().Be(job.Id);
    }

    [Fact]
    public async Task RunCycleAsync_WithinTheMinimumInterval_WaitsThenTrainsOnTheSchedule()
    {
        var clock = new ManualTimeProvider(Start.AddDays(1));
        var cases = new InMemoryCaseSource(HostFeedback.Overconfident(1_500, 5, Start));
        using var host = HostingTestHost.Build(
            b => b.Configure(o => o.RunInBackground = false)
                .AddCaseSource(cases)
                .ConfigureAnonymizer(o => o.PseudonymizationKey = LoopScenario.PseudonymizationKey)
                .AddModel(LoopScenario.Model, m =>
                {
                    m.TrainerType = CalibrationTestTrainer.Type;
                    m.MinimumCases = 200;
                    m.NewCasesThreshold = 5_000;
                    m.MinimumInterval = TimeSpan.FromHours(26);
                    m.Schedule = TrainingSchedule.Daily(new TimeOnly(2, 0), TimeZoneInfo.Utc);
                }),
            clock,
            withCases: false);
        await host.StartAsync();
        var loop = host.Services.GetRequiredService<ISelfLearningLoop>();
        (await loop.RunCycleAsync(LoopScenario.Model)).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);

        cases.AddRange(HostFeedback.Overconfident(1_000, 6, Start.AddDays(1).AddHours(1)).Select(c => c with { Id = "later-" + c.Id }));
        clock.Advance(TimeSpan.FromHours(25) + TimeSpan.FromMinutes(1));
        var tooSoon = await loop.RunCycleAsync(LoopScenario.Model);
        clock.Advance(TimeSpan.FromHours(1));
        var scheduled = await loop.RunCycleAsync(LoopScenario.Model);
        await host.StopAsync();

        tooSoon.Outcome.Should().Be(SelfLearningCycleOutcome.Idle);
        tooSoon.Message.Should().Contain("minimum interval");
        scheduled.Outcome.Should().NotBe(SelfLearningCycleOutcome.Idle, scheduled.Message);
        var jobs = await host.Services.GetRequiredService<ITrainingJobStore>().ListAsync(LoopScenario.Model);
        jobs.Select(j => j.Trigger).Should().Equal(TrainingTriggerKind.NewCases, TrainingTriggerKind.Schedule);
    }

    private static IHost Host(ITrainer trainer, bool runInBackground) => HostingTestHost.Build(
        b => b.Configure(o => o.RunInBackground = runInBackground)
            .AddModelType(trainer, new CalibratorLoader(trainer.ModelType))
            .AddCaseSource(new InMemoryCaseSource(HostFeedback.Overconfident(1_500, 3, Start)))
            .ConfigureAnonymizer(o => o.PseudonymizationKey = LoopScenario.PseudonymizationKey)
            .AddModel(LoopScenario.Model, m =>
            {
                m.TrainerType = trainer.ModelType;
                m.MinimumCases = 1_000;
            }),
        new ManualTimeProvider(Start.AddDays(1)),
        withCases: false);

    /// <summary>Loads a calibrator artifact under a test trainer's key (the trainers here never finish, so it is registered, not called).</summary>
    private sealed class CalibratorLoader(string modelType) : IPredictorLoader
    {
        public string ModelType { get; } = modelType;

        public IPredictor Load(TrainingArtifact artifact) => CalibrationModel.Load(artifact);
    }

    /// <summary>Trains until cancelled, as a long training caught by a shutdown.</summary>
    private sealed class BlockingTrainer : ITrainer
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool SawCancellation { get; private set; }

        public string ModelType => "blocking";

        public SelfLearning.Training.TaskKind TaskKind => SelfLearning.Training.TaskKind.ScoreCalibration;

        public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
                throw;
            }

            throw new InvalidOperationException("The blocking trainer only ends by cancellation.");
        }
    }

    private sealed class FailingTrainer : ITrainer
    {
        public const string Reason = "the GPU is on fire";

        public string ModelType => "failing";

        public SelfLearning.Training.TaskKind TaskKind => SelfLearning.Training.TaskKind.ScoreCalibration;

        public Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Reason);
    }

    /// <summary>Keeps every log entry written through it.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<(int EventId, LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(int EventId, LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._entries)
                {
                    owner._entries.Add((eventId.Id, logLevel, formatter(state, exception)));
                }
            }
        }
    }
}
