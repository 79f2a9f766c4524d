using System.Text.Json;
using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class SampleSizePlannerTests
{
    [Fact]
    public void ForSuccessRate_ReferenceCases_MatchSciPy()
    {
        foreach (JsonElement c in ExperimentsReference.SciPy.GetProperty("sample_size_rate").EnumerateArray())
        {
            SampleSizePlanner.ForSuccessRate(c.GetProperty("baseline").GetDouble(), c.GetProperty("effect").GetDouble(), c.GetProperty("alpha").GetDouble(), c.GetProperty("power").GetDouble())
                .Should().Be(c.GetProperty("n").GetInt64());
        }
    }

    [Fact]
    public void ForMean_ReferenceCases_MatchSciPy()
    {
        foreach (JsonElement c in ExperimentsReference.SciPy.GetProperty("sample_size_mean").EnumerateArray())
        {
            SampleSizePlanner.ForMean(c.GetProperty("sd").GetDouble(), c.GetProperty("effect").GetDouble(), c.GetProperty("alpha").GetDouble(), c.GetProperty("power").GetDouble())
                .Should().Be(c.GetProperty("n").GetInt64());
        }
    }

    [Fact]
    public void ForSuccessRate_SmallerEffect_NeedsMoreUnits()
    {
        SampleSizePlanner.ForSuccessRate(0.2, 0.01).Should().BeGreaterThan(SampleSizePlanner.ForSuccessRate(0.2, 0.02) * 3);
    }

    [Fact]
    public void ForSuccessRate_BadArguments_ThrowNamingArgument()
    {
        FluentActions.Invoking(() => SampleSizePlanner.ForSuccessRate(1.0, 0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("baselineRate");
        FluentActions.Invoking(() => SampleSizePlanner.ForSuccessRate(0.95, 0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minimumDetectableEffect");
        FluentActions.Invoking(() => SampleSizePlanner.ForSuccessRate(0.5, 0.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minimumDetectableEffect");
        FluentActions.Invoking(() => SampleSizePlanner.ForSuccessRate(0.5, 0.1, alpha: double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");
        FluentActions.Invoking(() => SampleSizePlanner.ForMean(0.0, 0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviation");
        FluentActions.Invoking(() => SampleSizePlanner.ForMean(1.0, 0.1, power: 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("power");
    }
}
