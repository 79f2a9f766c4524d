using System.Text.Json.Nodes;
using SelfLearning.Statistics;

namespace SelfLearning.Tests.Statistics;

public sealed class DriftStatisticsTests
{
    private static readonly JsonNode Reference = ReferenceFile.Load("statistics.json");

    [Fact]
    public void PopulationStabilityIndex_ReferenceCases_MatchNumpy()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "populationStability"))
        {
            double psi = DriftStatistics.PopulationStabilityIndex(
                ReferenceFile.Doubles(c!["expected"]),
                ReferenceFile.Doubles(c["actual"]),
                c["bins"]!.GetValue<int>());
            ReferenceFile.ShouldMatch(psi, ReferenceFile.Double(c["psi"]), c["shape"]!.GetValue<string>());
        }
    }

    [Fact]
    public void PopulationStabilityIndex_SameSample_IsZero()
    {
        double[] sample = Enumerable.Range(0, 200).Select(i => Math.Sin(i) * 3.0).ToArray();
        DriftStatistics.PopulationStabilityIndex(sample, sample).Should().Be(0.0);
    }

    [Fact]
    public void PopulationStabilityIndex_ActualEntirelyOutsideRange_IsFiniteAndLarge()
    {
        double[] expected = Enumerable.Range(0, 100).Select(i => i / 100.0).ToArray();
        double[] actual = Enumerable.Range(0, 50).Select(i => 5.0 + i).ToArray();
        double psi = DriftStatistics.PopulationStabilityIndex(expected, actual);
        double.IsFinite(psi).Should().BeTrue();
        psi.Should().BeGreaterThan(0.25 * 10);
    }

    [Fact]
    public void PopulationStabilityIndex_BadInput_NamesTheArgument()
    {
        FluentActions.Invoking(() => DriftStatistics.PopulationStabilityIndex([1.0, 2.0], [double.NaN]))
            .Should().Throw<ArgumentException>().WithParameterName("actual");
        FluentActions.Invoking(() => DriftStatistics.PopulationStabilityIndex([], [1.0]))
            .Should().Throw<ArgumentException>().WithParameterName("expected");
        FluentActions.Invoking(() => DriftStatistics.PopulationStabilityIndex([1.0, 2.0], [1.0], bins: 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("bins");
    }
}
