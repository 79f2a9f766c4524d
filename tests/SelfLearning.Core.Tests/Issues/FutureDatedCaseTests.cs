using Microsoft.Extensions.Time.Testing;
using SelfLearning.Cases;
using SelfLearning.Tests.Cases;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// Issue 12, point 1: one case validated in 2099 was kept, the watermark jumped to 2099 and every later case looked
/// old, so learning stopped for good. A case validated beyond the collector's clock plus the skew allowance is now
/// rejected with its own reason, and the watermark never passes now + skew.
/// </summary>
public sealed class FutureDatedCaseTests
{
    private static readonly DateTimeOffset Now = CaseTestData.Now;

    [Fact]
    public async Task CollectSnapshotAsync_CaseValidatedIn2099_RejectedAsValidatedInFutureAndWatermarkStaysAtNewestRealCase()
    {
        var source = new InMemoryCaseSource(
        [
            CaseTestData.Case("a", validatedAt: Now.AddHours(-2)),
            CaseTestData.Case("future", validatedAt: new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            CaseTestData.Case("b", validatedAt: Now.AddHours(-1)),
        ]);

        var result = await CaseTestData.Collector(source, clock: new FakeTimeProvider(Now)).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(2);
        result.Statistics.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long> { [CaseRejectionReason.ValidatedInFuture] = 1 });
        result.Watermark.Should().Be(new CaseWatermark(Now.AddHours(-1), "b"));
    }

    [Fact]
    public async Task CollectAsync_AfterAFutureCase_TheNextRunStillCollectsNewCases()
    {
        var clock = new FakeTimeProvider(Now);
        var source = new InMemoryCaseSource([CaseTestData.Case("future", validatedAt: Now.AddYears(75)), CaseTestData.Case("a", validatedAt: Now.AddMinutes(-1))]);
        var collector = CaseTestData.Collector(source, clock: clock);
        var first = await collector.CollectSnapshotAsync(CaseWatermark.Start);

        clock.Advance(TimeSpan.FromHours(1));
        source.Add(CaseTestData.Case("later", validatedAt: clock.GetUtcNow().AddMinutes(-10)));
        var second = await collector.CollectSnapshotAsync(first.Watermark);

        second.Statistics.Accepted.Should().Be(1);
        second.Snapshot!.Cases.Should().ContainSingle();
        second.Watermark.ValidatedAt.Should().Be(clock.GetUtcNow().AddMinutes(-10));
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public async Task CollectSnapshotAsync_CaseAheadOfTheClock_KeptOnlyWithinTheDefaultFiveMinuteSkew(int minutesAhead, bool kept)
    {
        var source = new InMemoryCaseSource([CaseTestData.Case("ahead", validatedAt: Now.AddMinutes(minutesAhead))]);

        var result = await CaseTestData.Collector(source, clock: new FakeTimeProvider(Now)).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(kept ? 1 : 0);
        result.Watermark.ValidatedAt.Should().BeOnOrBefore(Now.AddMinutes(5));
    }

    [Fact]
    public async Task CollectSnapshotAsync_ConfiguredSkew_MovesTheHorizon()
    {
        var source = new InMemoryCaseSource([CaseTestData.Case("ahead", validatedAt: Now.AddMinutes(30))]);
        var options = new CaseCollectorOptions { MaxClockSkew = TimeSpan.FromHours(1) };

        var wide = await CaseTestData.Collector(source, options, clock: new FakeTimeProvider(Now)).CollectSnapshotAsync(CaseWatermark.Start);
        var strict = await CaseTestData.Collector(source, new CaseCollectorOptions { MaxClockSkew = TimeSpan.Zero }, clock: new FakeTimeProvider(Now)).CollectSnapshotAsync(CaseWatermark.Start);

        wide.Statistics.Accepted.Should().Be(1);
        strict.Statistics.Rejections.Should().ContainKey(CaseRejectionReason.ValidatedInFuture).WhoseValue.Should().Be(1);
        strict.Watermark.Should().Be(CaseWatermark.Start);
    }

    [Fact]
    public async Task Statistics_FutureCases_CountedUnderTheirOwnReasonAcrossRuns()
    {
        var source = new InMemoryCaseSource([CaseTestData.Case("f1", validatedAt: Now.AddDays(2)), CaseTestData.Case("f2", validatedAt: Now.AddDays(3))]);
        var collector = CaseTestData.Collector(source, clock: new FakeTimeProvider(Now));

        await collector.CollectSnapshotAsync(CaseWatermark.Start);
        await collector.CollectSnapshotAsync(CaseWatermark.Start);

        collector.Statistics.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long> { [CaseRejectionReason.ValidatedInFuture] = 4 });
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(24.0 * 60 + 1)]
    public void Constructor_MaxClockSkewOutOfRange_NamesTheOption(double minutes)
    {
        var options = new CaseCollectorOptions { MaxClockSkew = TimeSpan.FromMinutes(minutes) };

        var act = () => CaseTestData.Collector(new InMemoryCaseSource(), options);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options.MaxClockSkew")
            .WithMessage($"*{TimeSpan.FromMinutes(minutes)}*");
    }

    [Fact]
    public void OptionsValidator_NegativeMaxClockSkew_Fails()
    {
        var result = new CaseCollectorOptionsValidator().Validate(null, new CaseCollectorOptions { MaxClockSkew = TimeSpan.FromSeconds(-1) });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(nameof(CaseCollectorOptions.MaxClockSkew));
    }
}
