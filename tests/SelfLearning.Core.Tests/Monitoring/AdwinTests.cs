using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class AdwinTests
{
    [Fact]
    public void Add_StationaryStream_NeverCutsAndTheWindowGrowsWithEveryPoint()
    {
        // 20,000 seeded outcomes with a constant 20% error rate, δ = 0.002.
        var adwin = new Adwin();
        double[] stream = StreamSimulation.Errors(seed: 21, length: 20_000, before: 0.2);

        int cuts = stream.Count(adwin.Add);

        cuts.Should().Be(0);
        adwin.Width.Should().Be(20_000);
        adwin.Mean.Should().BeApproximately(stream.Average(), 1e-12);
        double mean = stream.Average();
        adwin.Variance.Should().BeApproximately(stream.Average(x => (x - mean) * (x - mean)), 1e-9);
        adwin.BucketCount.Should().BeLessThanOrEqualTo(5 * 16, "at most M = 5 buckets per size, log₂(20,000) < 16 sizes");
    }

    [Fact]
    public void Add_MeanShift_CutsSoonAfterAndShrinksTheWindowToThePointsSinceTheChange()
    {
        // Error rate 10% for 5,000 points, then 40%.
        var adwin = new Adwin();
        double[] stream = StreamSimulation.Errors(seed: 22, length: 8_000, before: 0.1, changeAt: 5_000, after: 0.4);

        int firstCut = Array.FindIndex(stream, x => adwin.Add(x));
        long widthAtCut = adwin.Width;
        for (int i = firstCut + 1; i < stream.Length; i++)
        {
            adwin.Add(stream[i]);
        }

        firstCut.Should().BeInRange(5_000, 5_200, "a 30-point shift is caught within a few checks of 32 points");
        widthAtCut.Should().BeLessThan(firstCut, "the window dropped its oldest buckets at the cut");
        adwin.Width.Should().BeInRange(2_500, 3_200, "at the end the window holds about the 3,000 points since the change (plus at most part of an old bucket)");
        adwin.Mean.Should().BeApproximately(0.4, 0.03);
    }

    [Fact]
    public void Add_SmallerShiftUnderStricterDelta_IsCaughtLater()
    {
        int FirstCut(double delta)
        {
            var adwin = new Adwin(delta);
            return Array.FindIndex(StreamSimulation.Errors(seed: 23, length: 12_000, before: 0.1, changeAt: 6_000, after: 0.2), x => adwin.Add(x));
        }

        int lenient = FirstCut(0.1);
        int strict = FirstCut(1e-6);

        lenient.Should().BeGreaterThanOrEqualTo(6_000);
        strict.Should().BeGreaterThan(lenient);
    }

    [Fact]
    public void Constructor_DeltaOutsideUnitInterval_ThrowsNamingDelta()
    {
        FluentActions.Invoking(() => new Adwin(0.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");
        FluentActions.Invoking(() => new Adwin(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");
        FluentActions.Invoking(() => new Adwin().Add(double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
    }
}
