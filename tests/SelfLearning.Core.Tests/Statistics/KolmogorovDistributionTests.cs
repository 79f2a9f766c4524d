using System.Text.Json.Nodes;
using SelfLearning.Statistics;

namespace SelfLearning.Tests.Statistics;

public sealed class KolmogorovDistributionTests
{
    private static readonly JsonNode Reference = ReferenceFile.Load("statistics.json");

    [Fact]
    public void Survival_GridOverEveryBranch_MatchesScipyKstwo()
    {
        foreach (JsonNode? point in ReferenceFile.Cases(Reference, "kolmogorov"))
        {
            int n = point!["n"]!.GetValue<int>();
            double d = ReferenceFile.Double(point["d"]);
            ReferenceFile.ShouldMatch(KolmogorovDistribution.Survival(n, d), ReferenceFile.Double(point["survival"]), $"n={n} d={d:R}");
        }
    }

    [Fact]
    public void SmirnovSurvival_Grid_MatchesScipySmirnov()
    {
        foreach (JsonNode? point in ReferenceFile.Cases(Reference, "smirnov"))
        {
            int n = point!["n"]!.GetValue<int>();
            double x = ReferenceFile.Double(point["x"]);
            ReferenceFile.ShouldMatch(KolmogorovDistribution.SmirnovSurvival(n, x), ReferenceFile.Double(point["survival"]), $"n={n} x={x:R}");
        }
    }

    [Fact]
    public void Survival_IsNonIncreasingInD()
    {
        foreach (int n in new[] { 7, 140, 141, 3000 })
        {
            double previous = 1.0;
            for (double d = 0.001; d < 1.0; d += 0.003)
            {
                double s = KolmogorovDistribution.Survival(n, d);
                s.Should().BeLessThanOrEqualTo(previous + 1e-9, $"n={n} d={d}");
                previous = s;
            }
        }
    }
}
