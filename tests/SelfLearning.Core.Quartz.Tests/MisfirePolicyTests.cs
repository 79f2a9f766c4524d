using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using SelfLearning.Quartz.Tests.TestSupport;

namespace SelfLearning.Quartz.Tests;

/// <summary>
/// The documented misfire policies on an in-memory scheduler driven by a fake clock: an hourly cycle whose scheduler
/// clock jumps three hours ahead (the scheduler was suspended) catches up once, or not at all, then keeps its hours.
/// </summary>
public sealed class MisfirePolicyTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task FireOnceNow_ThreeFireTimesMissed_RunsOneCatchUpCycleThenTheNextHour()
    {
        var clock = new FakeTimeProvider(Start);
        var recorder = new CycleRecorder();
        var misfires = new MisfireRecorder();
        using IHost host = Host(clock, recorder, misfires, SelfLearningMisfirePolicy.FireOnceNow);
        await host.StartAsync();

        clock.Advance(TimeSpan.FromHours(3)); // 03:30: 01:00, 02:00 and 03:00 were missed
        await recorder.WaitUntilAsync(f => f.Count >= 1, Deadline, "the catch-up cycle ran");
        clock.Advance(TimeSpan.FromMinutes(30)); // 04:00
        await recorder.WaitUntilAsync(f => f.Count >= 2, Deadline, "the 04:00 cycle ran");
        await host.StopAsync();

        misfires.Count.Should().BeGreaterThanOrEqualTo(1);
        recorder.Finished.Select(f => f.ScheduledFireTime).Should().Equal(
            [Start.AddHours(0.5), Start.AddHours(3.5)],
            "one catch-up cycle ran for the missed hours (Quartz reports the first missed fire time on it), not one per missed hour, then 04:00");
    }

    [Fact]
    public async Task SkipToNextFireTime_ThreeFireTimesMissed_RunsNoCycleUntilTheNextHour()
    {
        var clock = new FakeTimeProvider(Start);
        var recorder = new CycleRecorder();
        var misfires = new MisfireRecorder();
        using IHost host = Host(clock, recorder, misfires, SelfLearningMisfirePolicy.SkipToNextFireTime);
        await host.StartAsync();

        clock.Advance(TimeSpan.FromHours(3)); // 03:30: 01:00, 02:00 and 03:00 were missed
        await misfires.WaitAsync(Deadline);
        IScheduler scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        (await scheduler.GetTrigger(new TriggerKey(LoopHosts.Model, "SelfLearning")))!.NextFireTimeUtc.Should().Be(Start.AddHours(3.5));
        recorder.Started.Should().BeEmpty("the missed fire times are skipped");
        clock.Advance(TimeSpan.FromMinutes(30)); // 04:00
        await recorder.WaitUntilAsync(f => f.Count >= 1, Deadline, "the 04:00 cycle ran");
        await host.StopAsync();

        recorder.Finished.Select(f => f.ScheduledFireTime).Should().Equal(Start.AddHours(3.5));
    }

    private static IHost Host(FakeTimeProvider clock, CycleRecorder recorder, MisfireRecorder misfires, SelfLearningMisfirePolicy policy) => LoopHosts.Build(
        q =>
        {
            q.UseTimeProvider(clock);
            q.UseInMemoryStore(s => s.MisfireThreshold = TimeSpan.FromMinutes(1));
            q.AddJobListener(recorder);
            q.AddTriggerListener(misfires);
        },
        s =>
        {
            s.DefaultCronSchedule = "0 0 * * * ?";
            s.MisfirePolicy = policy;
        },
        services: s => s.AddSingleton<TimeProvider>(clock));

    /// <summary>Counts the misfires the scheduler handled, and lets the test wait for the first.</summary>
    private sealed class MisfireRecorder : ITriggerListener
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public string Name => nameof(MisfireRecorder);

        public int Count => Volatile.Read(ref _count);

        public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            _first.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public Task WaitAsync(TimeSpan deadline) => _first.Task.WaitAsync(deadline);
    }
}
