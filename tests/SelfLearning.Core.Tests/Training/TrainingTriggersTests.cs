using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class TrainingTriggersTests
{
    private static readonly DateTimeOffset Last = new(2024, 3, 4, 1, 0, 0, TimeSpan.Zero);

    private static SelfLearningModelOptions Options() => new()
    {
        MinimumCases = 100,
        NewCasesThreshold = 1_000,
        MinimumInterval = TimeSpan.FromHours(6),
        Schedule = TrainingSchedule.Daily(new TimeOnly(2, 0), TimeZoneInfo.Utc),
    };

    [Fact]
    public void Decide_FirstModelWithMinimumCases_TrainsOnNewCases()
    {
        var (trigger, _) = TrainingTriggers.Decide(Options(), hasVersion: false, newCases: 100, lastTraining: null, now: Last);

        trigger.Should().Be(TrainingTriggerKind.NewCases);
    }

    [Fact]
    public void Decide_FewerThanMinimumCases_NeverTrainsEvenWhenTheScheduleIsDue()
    {
        var (trigger, reason) = TrainingTriggers.Decide(Options(), hasVersion: true, newCases: 99, lastTraining: Last, now: Last.AddDays(2));

        trigger.Should().BeNull();
        reason.Should().Contain("99 new cases");
    }

    [Fact]
    public void Decide_ThresholdReachedWithinTheMinimumInterval_Waits()
    {
        var (trigger, reason) = TrainingTriggers.Decide(Options(), hasVersion: true, newCases: 5_000, lastTraining: Last, now: Last.AddHours(5));

        trigger.Should().BeNull();
        reason.Should().Contain("minimum interval");
    }

    [Fact]
    public void Decide_ThresholdReachedAfterTheMinimumInterval_TrainsOnNewCases()
    {
        var (trigger, _) = TrainingTriggers.Decide(Options(), hasVersion: true, newCases: 1_000, lastTraining: Last, now: Last.AddHours(6));

        trigger.Should().Be(TrainingTriggerKind.NewCases);
    }

    [Fact]
    public void Decide_ScheduleDueAfterTheInterval_TrainsOnTheSchedule()
    {
        // Last training at 01:00: the 02:00 run is due, but only once the 6-hour interval has passed at 07:00.
        var (waiting, _) = TrainingTriggers.Decide(Options(), hasVersion: true, newCases: 500, lastTraining: Last, now: Last.AddHours(5));
        var (due, reason) = TrainingTriggers.Decide(Options(), hasVersion: true, newCases: 500, lastTraining: Last, now: Last.AddHours(6));

        waiting.Should().BeNull();
        due.Should().Be(TrainingTriggerKind.Schedule);
        reason.Should().Contain("2024-03-04T02:00:00");
    }

    [Fact]
    public void Decide_NoScheduleBelowTheThreshold_StaysIdle()
    {
        var options = Options();
        options.Schedule = null;

        var (trigger, reason) = TrainingTriggers.Decide(options, hasVersion: true, newCases: 500, lastTraining: Last, now: Last.AddDays(3));

        trigger.Should().BeNull();
        reason.Should().Contain("500 new cases of the 1000");
    }

    [Fact]
    public void Decide_DriftBelowTheThreshold_TrainsOnDriftOnlyWithMinimumCasesAfterTheInterval()
    {
        var options = Options();
        options.Schedule = null;

        var (drift, reason) = TrainingTriggers.Decide(options, hasVersion: true, newCases: 500, lastTraining: Last, now: Last.AddHours(6), drifted: true);
        var (tooFew, _) = TrainingTriggers.Decide(options, hasVersion: true, newCases: 99, lastTraining: Last, now: Last.AddHours(6), drifted: true);
        var (tooSoon, _) = TrainingTriggers.Decide(options, hasVersion: true, newCases: 500, lastTraining: Last, now: Last.AddHours(5), drifted: true);

        drift.Should().Be(TrainingTriggerKind.Drift);
        reason.Should().Contain("drifted").And.Contain("500 new cases");
        tooFew.Should().BeNull();
        tooSoon.Should().BeNull();
    }
}
