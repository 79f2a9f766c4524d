using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class PendingPredictionsTests
{
    [Fact]
    public void TryEstimate_TrackedPredictions_EqualsTheBatchEstimateOfThoseStillPending()
    {
        var pending = new PendingPredictions(capacity: 10);
        pending.Track("a", 0.9);
        pending.Track("b", 0.6);
        pending.Track("c", 0.7);
        pending.TryResolve("b", out double resolved).Should().BeTrue();

        pending.TryEstimate(0.9, out AccuracyEstimate? estimate).Should().BeTrue();

        resolved.Should().Be(0.6);
        estimate.Should().BeEquivalentTo(LabelFreeAccuracy.Estimate([0.9, 0.7], 0.9));
    }

    [Fact]
    public void Track_BeyondCapacity_ForgetsTheOldest()
    {
        var pending = new PendingPredictions(capacity: 2);
        pending.Track("a", 0.9);
        pending.Track("b", 0.8);
        pending.Track("a", 0.5); // re-tracking refreshes "a"
        pending.Track("c", 0.7);

        pending.Count.Should().Be(2);
        pending.Evicted.Should().Be(1, "only 'b' was forgotten; re-tracking 'a' evicts nothing");
        pending.TryResolve("b", out _).Should().BeFalse("'b' was the oldest when 'c' arrived");
        pending.TryResolve("a", out double a).Should().BeTrue();
        a.Should().Be(0.5);
    }

    [Fact]
    public void TryEstimate_NothingPending_ReturnsFalse()
    {
        var pending = new PendingPredictions(capacity: 2);

        pending.TryEstimate(0.95, out AccuracyEstimate? estimate).Should().BeFalse();
        estimate.Should().BeNull();
    }

    [Fact]
    public void TrackAndResolve_ManyThreads_LeaveExactlyTheUnresolved()
    {
        var pending = new PendingPredictions(capacity: 100_000);

        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                string id = $"{t}-{i}";
                pending.Track(id, 0.8);
                if (i % 2 == 0)
                {
                    pending.TryResolve(id, out _).Should().BeTrue();
                }
            }
        });

        pending.Count.Should().Be(8_000);
    }

    [Fact]
    public void Track_BadArguments_ThrowNamingTheArgument()
    {
        var pending = new PendingPredictions(capacity: 2);

        FluentActions.Invoking(() => pending.Track("", 0.5)).Should().Throw<ArgumentException>().WithParameterName("predictionId");
        FluentActions.Invoking(() => pending.Track("a", double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("calibratedConfidence");
        FluentActions.Invoking(() => new PendingPredictions(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("capacity");
    }
}
