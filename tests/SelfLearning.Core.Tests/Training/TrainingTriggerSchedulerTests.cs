using Microsoft.Extensions.Options;
using SelfLearning.Tests.TestSupport;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class TrainingTriggerSchedulerTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly ManualTimeProvider _time = new(TrainingTestData.Start);
    private readonly InMemoryTrainingJobStore _store = new();
    private readonly SettableCaseCounter _cases = new() { Total = 100 };
    private readonly ScriptedTrainer _trainer = new("t", (_, _) => Task.FromResult(TrainingTestData.Result()));

    [Fact]
    public async Task Schedule_SundayTwoAmBerlinForThirtyNineWeeks_FiresExactlyOncePerWeekAcrossBothDstChanges()
    {
        using var engine = TrainingTestData.Engine(_store, _time, null, _trainer);
        var plan = new TrainingPlan("m", "t") 
        {
            Schedule = TrainingSchedule.Weekly(DayOfWeek.Sunday, new TimeOnly(2, 0), Berlin),
            WhenBusy = BusyModelBehavior.Queue,
        };
        using var scheduler = Scheduler(engine, plan);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        scheduler.Start();

        for (int hour = 0; hour < 39 * 7 * 24; hour++)
        {
            _time.Advance(TimeSpan.FromHours(1));
        }

        await scheduler.WaitForDecisionsAsync(39, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var fired = scheduler.Decisions.Select(d => d.At).ToList();
        fired.Should().HaveCount(39);
        fired.Should().OnlyHaveUniqueItems();
        fired.Should().OnlyContain(at => TimeZoneInfo.ConvertTime(at, Berlin).DayOfWeek == DayOfWeek.Sunday);
        fired.Should().Contain(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero));
        fired.Should().Contain(new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.Zero));
        scheduler.Decisions.Should().OnlyContain(d => d.Started && d.Trigger == TrainingTriggerKind.Schedule);
        foreach (var decision in scheduler.Decisions)
        {
            await engine.WaitFor(decision.Job!.Id, j => TrainingJobTransitions.IsTerminal(j.State));
        }

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Trigger_FewerCasesThanMinimum_IsDeclinedWithCounts()
    {
        _cases.Total = 49;
        using var engine = TrainingTestData.Engine(_store, _time, null, _trainer);
        using var scheduler = Scheduler(engine, new TrainingPlan("m", "t"));

        var decision = await scheduler.TriggerAsync("m");

        decision.Started.Should().BeFalse();
        decision.Reason.Should().Be("49 validated cases, fewer than the minimum of 50");
        (await engine.ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Trigger_WithinMinimumInterval_IsDeclinedUntilTheIntervalHasPassed()
    {
        using var engine = TrainingTestData.Engine(_store, _time, null, _trainer);
        using var scheduler = Scheduler(engine, new TrainingPlan("m", "t") { MinimumInterval = TimeSpan.FromHours(12) });
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);

        var first = await scheduler.TriggerAsync("m");
        await engine.WaitFor(first.Job!.Id, j => j.State == TrainingJobState.Completed);
        _time.Advance(TimeSpan.FromHours(11));
        var tooSoon = await scheduler.TriggerAsync("m");
        _time.Advance(TimeSpan.FromHours(1));
        var later = await scheduler.TriggerAsync("m");

        first.Started.Should().BeTrue();
        tooSoon.Started.Should().BeFalse();
        tooSoon.Reason.Should().Contain("less than the minimum interval of 12:00:00");
        later.Started.Should().BeTrue();
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task NewCasesPoll_ThresholdReachedSinceLastTraining_QueuesOneJob()
    {
        using var engine = TrainingTestData.Engine(_store, _time, null, _trainer);
        var plan = new TrainingPlan("m", "t") { NewCasesThreshold = 20, MinimumCases = 10 };
        using var scheduler = Scheduler(engine, plan);
        scheduler.Start();
        _cases.Total = 19; // no training yet, so every validated case is new

        _time.Advance(TimeSpan.FromMinutes(5));
        await scheduler.WaitForDecisionsAsync(1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        _cases.Total = 20;
        _time.Advance(TimeSpan.FromMinutes(5));
        await scheduler.WaitForDecisionsAsync(2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromMinutes(5));
        await scheduler.WaitForDecisionsAsync(3, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var decisions = scheduler.Decisions;
        decisions[0].Reason.Should().Be("19 new validated cases since the last training, fewer than the threshold of 20");
        decisions[1].Started.Should().BeTrue();
        decisions[1].Job!.Trigger.Should().Be(TrainingTriggerKind.NewCases);
        decisions[2].Started.Should().BeFalse("the first job is still queued and the plan skips a busy model");
        decisions[2].Reason.Should().Contain("already has job");
        (await engine.ListAsync("m")).Should().HaveCount(1);
    }

    [Fact]
    public async Task NewCases_CountedSinceTheStartOfTheLastCompletedTraining()
    {
        DateTimeOffset? askedSince = null;
        _cases.Since = since =>
        {
            askedSince = since;
            return 100;
        };
        using var engine = TrainingTestData.Engine(_store, _time, null, _trainer);
        using var scheduler = Scheduler(engine, new TrainingPlan("m", "t") { NewCasesThreshold = 5 });
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var first = await scheduler.TriggerAsync("m");
        var done = await engine.WaitFor(first.Job!.Id, j => j.State == TrainingJobState.Completed);
        _time.Advance(TimeSpan.FromHours(1));

        var decision = await scheduler.CheckNewCasesAsync("m");

        decision.Started.Should().BeTrue();
        askedSince.Should().Be(done.StartedAt);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Trigger_BusyModelWithQueuePlan_QueuesBehindTheActiveJob()
    {
        using var engine = TrainingTestData.Engine(_store, _time, null, _trainer);
        using var scheduler = Scheduler(engine, new TrainingPlan("m", "t") { WhenBusy = BusyModelBehavior.Queue, Priority = 3 });

        var first = await scheduler.TriggerAsync("m");
        var second = await scheduler.TriggerAsync("m");

        first.Started.Should().BeTrue();
        second.Started.Should().BeTrue();
        second.Job!.Priority.Should().Be(3);
        (await engine.ListAsync("m")).Should().HaveCount(2);
    }

    [Fact]
    public void Ctor_InvalidPlans_ThrowNamingTheArgument()
    {
        using var engine = TrainingTestData.Engine(_store, _time, null, _trainer);

        var duplicate = () => Scheduler(engine, new TrainingPlan("m", "t"), new TrainingPlan("m", "t"));
        var negative = () => Scheduler(engine, new TrainingPlan("m", "t") { MinimumCases = -1 });
        var zeroThreshold = () => Scheduler(engine, new TrainingPlan("m", "t") { NewCasesThreshold = 0 });
        var unknown = () => Scheduler(engine).TriggerAsync("nope");

        duplicate.Should().Throw<ArgumentException>().WithParameterName("plans");
        negative.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinimumCases");
        zeroThreshold.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("NewCasesThreshold");
        unknown.Should().ThrowAsync<KeyNotFoundException>().WithMessage("*'nope'*");
    }

    private TrainingTriggerScheduler Scheduler(TrainingJobEngine engine, params TrainingPlan[] plans) =>
        new(engine, _store, _cases, plans, Options.Create(new TrainingTriggerOptions()), _time);
}
