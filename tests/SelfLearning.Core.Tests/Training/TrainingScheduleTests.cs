using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class TrainingScheduleTests
{
    // tzdata is present on Linux and time zones work although InvariantGlobalization is on.
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Weekly_SundayTwoAmBerlinThroughBothDstChanges_FiresOncePerWeekAtTheDocumentedInstants()
    {
        var schedule = TrainingSchedule.Weekly(DayOfWeek.Sunday, new TimeOnly(2, 0), Berlin);
        var occurrences = new List<DateTimeOffset>();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        while ((at = schedule.NextAfter(at)) < new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero))
        {
            occurrences.Add(at);
        }

        occurrences.Should().HaveCount(39, "8 March to 29 November 2026 has 39 Sundays");
        occurrences.Should().OnlyContain(o => TimeZoneInfo.ConvertTime(o, Berlin).DayOfWeek == DayOfWeek.Sunday);
        occurrences.Zip(occurrences.Skip(1), (a, b) => b - a).Should().OnlyContain(
            gap => gap >= TimeSpan.FromDays(7) - TimeSpan.FromHours(1) && gap <= TimeSpan.FromDays(7) + TimeSpan.FromHours(1));
        occurrences.Should().Contain(Utc(2026, 3, 22, 1), "02:00 CET = 01:00 UTC before spring forward");
        occurrences.Should().Contain(Utc(2026, 3, 29, 1), "02:00 does not exist on 29 March; the first valid instant after is 03:00 CEST = 01:00 UTC");
        occurrences.Should().Contain(Utc(2026, 4, 5, 0), "02:00 CEST = 00:00 UTC in summer");
        occurrences.Should().Contain(Utc(2026, 10, 25, 0), "02:00 occurs twice on 25 October; the first is 02:00 CEST = 00:00 UTC");
        occurrences.Should().NotContain(Utc(2026, 10, 25, 1), "the repeated 02:00 CET does not fire again");
        occurrences.Should().Contain(Utc(2026, 11, 1, 1), "02:00 CET = 01:00 UTC after fall back");
    }

    [Fact]
    public void Daily_TimeInsideTheSpringGap_FiresWhenClocksJump()
    {
        var schedule = TrainingSchedule.Daily(new TimeOnly(2, 30), Berlin);

        var next = schedule.NextAfter(Utc(2026, 3, 28, 12));

        next.Should().Be(Utc(2026, 3, 29, 1));
        next.Offset.Should().Be(TimeSpan.FromHours(2), "the instant is reported in CEST, i.e. 03:00 local");
        schedule.NextAfter(next).Should().Be(new DateTimeOffset(2026, 3, 30, 2, 30, 0, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Daily_AtExactlyAnOccurrence_ReturnsTheNextOne()
    {
        var schedule = TrainingSchedule.Daily(new TimeOnly(2, 0), TimeZoneInfo.Utc);

        schedule.NextAfter(Utc(2026, 1, 1, 2)).Should().Be(Utc(2026, 1, 2, 2));
        schedule.NextAfter(Utc(2026, 1, 1, 1)).Should().Be(Utc(2026, 1, 1, 2));
    }

    [Fact]
    public void Every_Interval_FiresOnTheAnchorGrid()
    {
        var anchor = Utc(2026, 1, 1, 0);
        var schedule = TrainingSchedule.Every(TimeSpan.FromHours(6), anchor);

        schedule.NextAfter(anchor).Should().Be(Utc(2026, 1, 1, 6));
        schedule.NextAfter(anchor + TimeSpan.FromHours(7)).Should().Be(Utc(2026, 1, 1, 12));
        schedule.NextAfter(anchor - TimeSpan.FromHours(7)).Should().Be(Utc(2025, 12, 31, 18));
    }

    [Fact]
    public void Factories_InvalidArguments_ThrowNamingTheArgument()
    {
        var zeroInterval = () => TrainingSchedule.Every(TimeSpan.Zero);
        var badDay = () => TrainingSchedule.Weekly((DayOfWeek)9, new TimeOnly(2, 0), Berlin);
        var noZone = () => TrainingSchedule.Daily(new TimeOnly(2, 0), null!);

        zeroInterval.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("interval");
        badDay.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("day");
        noZone.Should().Throw<ArgumentNullException>().WithParameterName("zone");
    }

    [Fact]
    public void ToString_Weekly_NamesDayTimeAndZone()
    {
        TrainingSchedule.Weekly(DayOfWeek.Sunday, new TimeOnly(2, 0), Berlin).ToString().Should().Be("weekly on Sunday at 02:00 Europe/Berlin");
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);
}
