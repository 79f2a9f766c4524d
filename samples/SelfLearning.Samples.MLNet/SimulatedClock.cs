namespace SelfLearning.Samples.MLNet;

/// <summary>Simulated time that only moves when the simulation moves it, so ten weeks run in seconds.</summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves simulated time forward to <paramref name="when"/> (never back).</summary>
    public void AdvanceTo(DateTimeOffset when)
    {
        long delta = when.UtcTicks - Interlocked.Read(ref _ticks);
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, 0L, nameof(when));
        Interlocked.Add(ref _ticks, delta);
    }
}
