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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(2_000_000)]
    public void Survival_OutsideTheSupport_IsOneBelowAndZeroAbove(int n)
    {
        KolmogorovDistribution.Survival(n, 0.0).Should().Be(1.0);
        KolmogorovDistribution.Survival(n, -0.3).Should().Be(1.0);
        KolmogorovDistribution.Survival(n, double.NegativeInfinity).Should().Be(1.0);
        KolmogorovDistribution.Survival(n, 1.0).Should().Be(0.0);
        KolmogorovDistribution.Survival(n, 1.7).Should().Be(0.0);
        KolmogorovDistribution.Survival(n, double.PositiveInfinity).Should().Be(0.0);
        KolmogorovDistribution.SmirnovSurvival(n, 0.0).Should().Be(1.0);
        KolmogorovDistribution.SmirnovSurvival(n, 1.0).Should().Be(0.0);
    }

    [Fact]
    public void Survival_RubenGambinoEnds_MatchClosedForms()
    {
        // P(D₃ ≥ x) = 1 − 3!(2x − 1/3)³ for 1/6 < x ≤ 1/3 and 2(1 − x)³ for x ≥ 2/3.
        KolmogorovDistribution.Survival(3, 0.25).Should().BeApproximately(1.0 - (6.0 * Math.Pow(0.5 - (1.0 / 3.0), 3)), 1e-15);
        KolmogorovDistribution.Survival(3, 0.9).Should().BeApproximately(2.0 * Math.Pow(0.1, 3), 1e-17);
        KolmogorovDistribution.Survival(3, 1.0 / 6.0).Should().Be(1.0);
    }

    [Fact]
    public void Survival_EveryMethodRegion_IsNonIncreasingAndAProbability()
    {
        // n = 140/141 and 1000/1001 straddle the method switches; x runs across Durbin, Pomeranz,
        // Pelz-Good and the doubled one-sided tail.
        foreach (int n in new[] { 1, 2, 3, 140, 141, 1000, 1001, 20_000 })
        {
            double previous = 1.0;
            for (double x = 0.0005; x < 1.0; x += 0.0005)
            {
                double s = KolmogorovDistribution.Survival(n, x);
                double.IsNaN(s).Should().BeFalse($"n={n} x={x}");
                s.Should().BeInRange(0.0, 1.0, $"n={n} x={x}");
                s.Should().BeLessThanOrEqualTo(previous * (1.0 + 1e-6), $"n={n} x={x}");
                previous = s;
                if (n > 1000 && s == 0.0)
                {
                    break;
                }
            }
        }
    }

    [Fact]
    public void Survival_TwoSidedTail_IsBetweenOnceAndTwiceTheOneSidedTail()
    {
        foreach (int n in new[] { 5, 140, 141, 5000 })
        {
            foreach (double c in new[] { 0.4, 0.8, 1.2, 1.6 })
            {
                double x = c / Math.Sqrt(n);
                double oneSided = KolmogorovDistribution.SmirnovSurvival(n, x);
                double twoSided = KolmogorovDistribution.Survival(n, x);
                twoSided.Should().BeGreaterThanOrEqualTo(oneSided * (1.0 - 1e-12), $"n={n} c={c}");
                twoSided.Should().BeLessThanOrEqualTo(Math.Min(1.0, 2.0 * oneSided) * (1.0 + 1e-12), $"n={n} c={c}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Survival_NonPositiveSampleSize_ThrowsNamingN(int n)
    {
        FluentActions.Invoking(() => KolmogorovDistribution.Survival(n, 0.2))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("n");
        FluentActions.Invoking(() => KolmogorovDistribution.SmirnovSurvival(n, 0.2))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("n");
    }

    [Fact]
    public void Survival_NaNStatistic_ThrowsNamingX()
    {
        FluentActions.Invoking(() => KolmogorovDistribution.Survival(10, double.NaN))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("x");
        FluentActions.Invoking(() => KolmogorovDistribution.SmirnovSurvival(10, double.NaN))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("x");
    }
}
