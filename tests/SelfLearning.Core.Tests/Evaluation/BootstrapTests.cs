using SelfLearning.Evaluation;

namespace SelfLearning.Tests.Evaluation;

public sealed class BootstrapTests
{
    private static readonly double[] Values = Enumerable.Range(0, 200).Select(i => Math.Sin(i * 0.7) + (i % 7)).ToArray();

    private static double Mean(ReadOnlySpan<int> indices)
    {
        double sum = 0.0;
        foreach (int i in indices)
        {
            sum += Values[i];
        }

        return sum / indices.Length;
    }

    [Fact]
    public void PercentileInterval_SameSeed_SameInterval()
    {
        var first = Bootstrap.PercentileInterval(Values.Length, Mean, 500, 0.9, seed: 17);
        var second = Bootstrap.PercentileInterval(Values.Length, Mean, 500, 0.9, seed: 17);
        second.Should().Be(first);
        Bootstrap.PercentileInterval(Values.Length, Mean, 500, 0.9, seed: 18).Should().NotBe(first);
    }

    [Fact]
    public void PercentileInterval_Mean_BracketsEstimateWithNormalTheoryWidth()
    {
        var interval = Bootstrap.PercentileInterval(Values.Length, Mean, 4000, 0.95, seed: 1);
        interval.Estimate.Should().BeApproximately(Values.Average(), 1e-12);
        interval.Lower.Should().BeLessThan(interval.Estimate);
        interval.Upper.Should().BeGreaterThan(interval.Estimate);
        double mean = Values.Average();
        double standardError = Math.Sqrt(Values.Sum(v => (v - mean) * (v - mean)) / Values.Length / Values.Length);
        (interval.Upper - interval.Lower).Should().BeApproximately(2 * 1.96 * standardError, 0.15 * 2 * 1.96 * standardError);
    }

    [Fact]
    public void PercentileInterval_StatisticReturnsNaN_Throws()
    {
        FluentActions.Invoking(() => Bootstrap.PercentileInterval(5, _ => double.NaN))
            .Should().Throw<InvalidOperationException>().WithMessage("*NaN*original*");
    }

    [Fact]
    public void PercentileInterval_BadArguments_NameTheArgument()
    {
        FluentActions.Invoking(() => Bootstrap.PercentileInterval(0, Mean)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("caseCount");
        FluentActions.Invoking(() => Bootstrap.PercentileInterval(5, Mean, iterations: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("iterations");
        FluentActions.Invoking(() => Bootstrap.PercentileInterval(5, Mean, confidence: 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("confidence");
    }
}
