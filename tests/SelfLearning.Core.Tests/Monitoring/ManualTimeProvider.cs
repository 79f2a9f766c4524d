namespace SelfLearning.Tests.Monitoring;

/// <summary>A clock the test moves by hand (the testing package's FakeTimeProvider is not served here).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
