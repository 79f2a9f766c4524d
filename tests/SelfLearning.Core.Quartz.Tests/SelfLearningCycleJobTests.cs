using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Quartz;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Quartz.Tests.TestSupport;

namespace SelfLearning.Quartz.Tests;

/// <summary>The cycle job on a real in-memory Quartz scheduler, fired by its cron trigger (every second, so each test waits on a condition with a deadline).</summary>
public sealed class SelfLearningCycleJobTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Execute_CronFiresOnAnInMemoryScheduler_RunsTheModelsCycleThroughTheLoopAndTheBackgroundServiceRunsNone()
    {
        var recorder = new CycleRecorder();
        using IHost host = LoopHosts.Build(
            q => { q.UseInMemoryStore(); q.AddJobListener(recorder); },
            s => s.CronSchedules[LoopHosts.Model] = LoopHosts.EverySecond);

        await host.StartAsync();
        await recorder.WaitUntilAsync(f => f.Count >= 2, Deadline, "two fire times ran the model's cycle");
        await host.StopAsync();

        IReadOnlyList<CycleFiring> finished = recorder.Finished;
        finished.Should().OnlyContain(f => f.Model == LoopHosts.Model && f.Error == null);
        finished.Select(f => f.Result).Should().OnlyContain(r => r != null && r.ModelName == LoopHosts.Model && r.Outcome == SelfLearningCycleOutcome.Idle,
            "an empty case source leaves nothing to train, and the job hands the loop's result to the scheduler");
        finished.Select(f => f.ScheduledFireTime).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        finished.Select(f => f.ScheduledFireTime).Should().OnlyContain(t => t.Millisecond == 0, "the cron fires on whole seconds");

        var loop = (RecordingLoop)host.Services.GetRequiredService<ISelfLearningLoop>();
        loop.Cycles.Should().Be(recorder.Started.Count, "every cycle came from a Quartz firing: the background service, which runs one at once when it runs cycles, ran none");
        host.Services.GetRequiredService<IOptions<SelfLearningOptions>>().Value.RunInBackground.Should().BeFalse();
    }

    [Fact]
    public async Task Execute_CycleThrows_IsLoggedPublishedAsJobFailedAndTheNextFireTimeRunsTheCycleAgain()
    {
        var recorder = new CycleRecorder();
        using IHost host = LoopHosts.Build(
            q => { q.UseInMemoryStore(); q.AddJobListener(recorder); },
            s => s.CronSchedules[LoopHosts.Model] = LoopHosts.EverySecond,
            failures: 1,
            services: s => s.AddFakeLogging());
        var events = new List<SelfLearningEvent>();
        using IDisposable subscription = host.Services.GetRequiredService<ISelfLearningEvents>().Subscribe(e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });

        await host.StartAsync();
        await recorder.WaitUntilAsync(f => f.Any(x => x.Result != null), Deadline, "a fire time after the failed one ran the cycle");
        IScheduler scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        scheduler.Status.Should().Be(SchedulerStatus.Running, "a failed cycle never stops the scheduler");
        await host.StopAsync();

        CycleFiring failed = recorder.Finished[0];
        failed.Error.Should().NotBeNull();
        failed.Error!.RefireImmediately.Should().BeFalse("a failed cycle waits for the next fire time");
        failed.Error.InnerException.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("The case store is unreachable.");
        failed.Error.Message.Should().Contain($"'{LoopHosts.Model}'");
        recorder.Finished.Skip(1).Should().NotBeEmpty().And.OnlyContain(f => f.Error == null && f.Result != null);

        lock (events)
        {
            events.Should().ContainSingle(e => e.Kind == SelfLearningEventKind.JobFailed)
                .Which.Should().Match<SelfLearningEvent>(e => e.Model == LoopHosts.Model && e.Message.Contains("The case store is unreachable.", StringComparison.Ordinal));
        }

        FakeLogRecord logged = host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Should()
            .ContainSingle(r => r.Id.Id == 7003).Subject;
        logged.Level.Should().Be(LogLevel.Error);
        logged.Exception.Should().BeOfType<InvalidOperationException>();
        logged.Message.Should().Contain($"'{LoopHosts.Model}'");
    }
}
