using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// When scheduled training fires: every fixed interval, or daily or weekly at a local time in a named time zone.
/// </summary>
/// <remarks>
/// Local times are resolved across daylight-saving changes as cron does: a time that does not exist on a
/// spring-forward day (02:30 in Europe/Berlin on 2026-03-29) fires at the first valid instant after it, the moment
/// clocks jump (03:00 CEST); a time that occurs twice on a fall-back day fires once, at its first occurrence
/// (02:00 CEST, not 02:00 CET, on 2026-10-25).
/// </remarks>
public sealed class TrainingSchedule
{
    private static readonly TimeSpan SearchWindow = TimeSpan.FromHours(18);

    private readonly TimeSpan _interval;
    private readonly DateTimeOffset _anchor;
    private readonly DayOfWeek? _day;
    private readonly TimeOnly _at;
    private readonly TimeZoneInfo? _zone;

    private TrainingSchedule(TimeSpan interval, DateTimeOffset anchor, DayOfWeek? day, TimeOnly at, TimeZoneInfo? zone)
    {
        _interval = interval;
        _anchor = anchor;
        _day = day;
        _at = at;
        _zone = zone;
    }

    /// <summary>Fires every <paramref name="interval"/>, at <paramref name="anchor"/> + k·interval.</summary>
    /// <param name="interval">The interval, positive.</param>
    /// <param name="anchor">An instant the schedule fires at; <see langword="null"/> for the Unix epoch.</param>
    /// <returns>The schedule.</returns>
    public static TrainingSchedule Every(TimeSpan interval, DateTimeOffset? anchor = null) =>
        new(TrainingGuard.Positive(interval), anchor ?? DateTimeOffset.UnixEpoch, null, default, null);

    /// <summary>Fires every day at local time <paramref name="at"/> in <paramref name="zone"/>.</summary>
    /// <param name="at">The local time of day.</param>
    /// <param name="zone">The time zone, e.g. <c>TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")</c>.</param>
    /// <returns>The schedule.</returns>
    public static TrainingSchedule Daily(TimeOnly at, TimeZoneInfo zone) => new(TimeSpan.Zero, default, null, at, Guard.NotNull(zone));

    /// <summary>Fires every week on <paramref name="day"/> at local time <paramref name="at"/> in <paramref name="zone"/>.</summary>
    /// <param name="day">The day of the week.</param>
    /// <param name="at">The local time of day.</param>
    /// <param name="zone">The time zone.</param>
    /// <returns>The schedule.</returns>
    public static TrainingSchedule Weekly(DayOfWeek day, TimeOnly at, TimeZoneInfo zone)
    {
        if (!Enum.IsDefined(day))
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"'{nameof(day)}' must be a day of the week, but is {(int)day}.");
        }

        return new(TimeSpan.Zero, default, day, at, Guard.NotNull(zone));
    }

    /// <summary>The first instant strictly after <paramref name="instant"/> at which the schedule fires.</summary>
    /// <param name="instant">The instant to look after.</param>
    /// <returns>The next firing instant, with the zone's offset at that instant (UTC for interval schedules).</returns>
    public DateTimeOffset NextAfter(DateTimeOffset instant)
    {
        if (_zone is null)
        {
            long elapsed = (instant - _anchor).Ticks;
            long steps = elapsed < 0 ? -(-elapsed / _interval.Ticks) : (elapsed / _interval.Ticks) + 1;
            return _anchor.ToUniversalTime() + TimeSpan.FromTicks(steps * _interval.Ticks);
        }

        DateTime localDate = TimeZoneInfo.ConvertTime(instant, _zone).Date.AddDays(-1);
        for (int d = 0; d <= 15; d++)
        {
            DateTime date = localDate.AddDays(d);
            if (_day is { } day && date.DayOfWeek != day)
            {
                continue;
            }

            var occurrence = Resolve(date + _at.ToTimeSpan(), _zone);
            if (occurrence > instant)
            {
                return occurrence;
            }
        }

        throw new InvalidOperationException($"No occurrence of {this} within 15 days after {instant:O}.");
    }

    /// <summary>Describes the schedule, e.g. <c>weekly on Sunday at 02:00 Europe/Berlin</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        if (_zone is null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"every {_interval} from {_anchor:O}");
        }

        string at = _at.ToString("HH:mm", CultureInfo.InvariantCulture);
        return _day is { } day ? $"weekly on {day} at {at} {_zone.Id}" : $"daily at {at} {_zone.Id}";
    }

    /// <summary>The instant a local wall-clock time denotes, resolving gaps and overlaps as the remarks say.</summary>
    internal static DateTimeOffset Resolve(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            // The earlier instant is the one with the larger offset.
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        }

        if (!zone.IsInvalidTime(local))
        {
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        // In a gap: the first UTC instant whose local time is at or after the requested one is the moment the
        // clocks jumped. Local time is non-decreasing in UTC across a gap, so bisect on ticks.
        long lo = (local - SearchWindow).Ticks;
        long hi = (local + SearchWindow).Ticks;
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) / 2);
            DateTime midLocal = TimeZoneInfo.ConvertTimeFromUtc(new DateTime(mid, DateTimeKind.Utc), zone);
            if (midLocal >= local)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        var utc = new DateTime(lo, DateTimeKind.Utc);
        return new DateTimeOffset(utc).ToOffset(zone.GetUtcOffset(utc));
    }
}
