using System.Text.Json.Nodes;
using SelfLearning.Statistics;

namespace SelfLearning.Tests.Statistics;

public sealed class HypothesisTestsTests
{
    private static readonly JsonNode Reference = ReferenceFile.Load("statistics.json");

    [Fact]
    public void TwoProportionZTest_ReferenceCases_MatchStatsmodels()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "twoProportionZ"))
        {
            var alternative = Enum.Parse<Alternative>(c!["alternative"]!.GetValue<string>());
            var result = HypothesisTests.TwoProportionZTest(
                c["successesA"]!.GetValue<long>(),
                c["trialsA"]!.GetValue<long>(),
                c["successesB"]!.GetValue<long>(),
                c["trialsB"]!.GetValue<long>(),
                alternative);
            string because = c.ToJsonString();
            ReferenceFile.ShouldMatch(result.Statistic, ReferenceFile.Double(c["statistic"]), because);
            ReferenceFile.ShouldMatch(result.PValue, ReferenceFile.Double(c["pValue"]), because);
        }
    }

    [Theory]
    [InlineData(10, 10, 20, 20)]
    [InlineData(0, 10, 0, 20)]
    public void TwoProportionZTest_PooledProportionDegenerate_ReturnsZeroAndOne(long sa, long na, long sb, long nb)
    {
        var result = HypothesisTests.TwoProportionZTest(sa, na, sb, nb);
        result.Should().Be(new TestResult(0.0, 1.0));
        HypothesisTests.TwoProportionZTest(sa, na, sb, nb, Alternative.Greater).PValue.Should().Be(0.5);
    }

    [Fact]
    public void TwoProportionZTest_BadCounts_NameTheArgument()
    {
        FluentActions.Invoking(() => HypothesisTests.TwoProportionZTest(1, 0, 1, 2))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("trialsA");
        FluentActions.Invoking(() => HypothesisTests.TwoProportionZTest(1, 2, 3, 2))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("successesB").WithMessage("*3*trialsB*");
        FluentActions.Invoking(() => HypothesisTests.TwoProportionZTest(-1, 2, 1, 2))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("successesA");
    }

    [Fact]
    public void WelchTTest_ReferenceSamples_MatchScipy()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "welch"))
        {
            double[] a = ReferenceFile.Doubles(c!["a"]);
            double[] b = ReferenceFile.Doubles(c["b"]);
            foreach (JsonNode? r in c["results"]!.AsArray())
            {
                var alternative = Enum.Parse<Alternative>(r!["alternative"]!.GetValue<string>());
                string because = $"{c["shape"]} {alternative}";
                var result = HypothesisTests.WelchTTest(a, b, alternative);
                ReferenceFile.ShouldMatch(result.Statistic, ReferenceFile.Double(r["statistic"]), because);
                ReferenceFile.ShouldMatch(result.PValue, ReferenceFile.Double(r["pValue"]), because);
                ReferenceFile.ShouldMatch(result.DegreesOfFreedom!.Value, ReferenceFile.Double(c["degreesOfFreedom"]), because);

                var summary = HypothesisTests.WelchTTest(
                    ReferenceFile.Double(c["meanA"]),
                    ReferenceFile.Double(c["sdA"]),
                    a.Length,
                    ReferenceFile.Double(c["meanB"]),
                    ReferenceFile.Double(c["sdB"]),
                    b.Length,
                    alternative);
                ReferenceFile.ShouldMatch(summary.Statistic, ReferenceFile.Double(r["summaryStatistic"]), because);
                ReferenceFile.ShouldMatch(summary.PValue, ReferenceFile.Double(r["summaryPValue"]), because);
            }
        }
    }

    [Fact]
    public void WelchTTest_BadInput_NamesTheArgument()
    {
        FluentActions.Invoking(() => HypothesisTests.WelchTTest([1.0], [1.0, 2.0]))
            .Should().Throw<ArgumentException>().WithParameterName("sampleA");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest([1.0, 2.0], [1.0, double.NaN]))
            .Should().Throw<ArgumentException>().WithParameterName("sampleB").WithMessage("*element 1*");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest([3.0, 3.0], [4.0, 4.0, 4.0]))
            .Should().Throw<ArgumentException>().WithParameterName("sampleA").WithMessage("*zero variance*");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest(0.0, -1.0, 5, 0.0, 1.0, 5))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviationA");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest(0.0, 1.0, 5, 0.0, 1.0, 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("countB");
    }

    [Fact]
    public void ChiSquareGoodnessOfFit_ReferenceCases_MatchScipy()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "chiSquare"))
        {
            var result = HypothesisTests.ChiSquareGoodnessOfFit(ReferenceFile.Longs(c!["observed"]), ReferenceFile.Doubles(c["shares"]));
            string because = c.ToJsonString();
            ReferenceFile.ShouldMatch(result.Statistic, ReferenceFile.Double(c["statistic"]), because);
            ReferenceFile.ShouldMatch(result.PValue, ReferenceFile.Double(c["pValue"]), because);
            result.DegreesOfFreedom.Should().Be(c["degreesOfFreedom"]!.GetValue<int>());
        }
    }

    [Fact]
    public void ChiSquareGoodnessOfFit_BadInput_NamesTheArgument()
    {
        FluentActions.Invoking(() => HypothesisTests.ChiSquareGoodnessOfFit([1, -2], [0.5, 0.5]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("observed").WithMessage("*element 1*");
        FluentActions.Invoking(() => HypothesisTests.ChiSquareGoodnessOfFit([1, 2], [0.5, 0.6]))
            .Should().Throw<ArgumentException>().WithParameterName("expectedShares").WithMessage("*sum to 1*");
        FluentActions.Invoking(() => HypothesisTests.ChiSquareGoodnessOfFit([1, 2], [1.0, 0.0]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("expectedShares").WithMessage("*element 1*");
        FluentActions.Invoking(() => HypothesisTests.ChiSquareGoodnessOfFit([1, 2, 3], [0.5, 0.5]))
            .Should().Throw<ArgumentException>().WithParameterName("expectedShares");
        FluentActions.Invoking(() => HypothesisTests.ChiSquareGoodnessOfFit([0, 0], [0.5, 0.5]))
            .Should().Throw<ArgumentException>().WithParameterName("observed");
        FluentActions.Invoking(() => HypothesisTests.ChiSquareGoodnessOfFit([4], [1.0]))
            .Should().Throw<ArgumentException>().WithParameterName("observed");
    }

    [Fact]
    public void McNemar_ReferenceCases_MatchStatsmodels()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "mcnemar"))
        {
            var result = HypothesisTests.McNemar(c!["b"]!.GetValue<long>(), c["c"]!.GetValue<long>(), c["exact"]!.GetValue<bool>());
            string because = c.ToJsonString();
            ReferenceFile.ShouldMatch(result.Statistic, ReferenceFile.Double(c["statistic"]), because);
            ReferenceFile.ShouldMatch(result.PValue, ReferenceFile.Double(c["pValue"]), because);
        }
    }

    [Fact]
    public void McNemar_NoDiscordantPairs_ReturnsZeroAndOne()
    {
        HypothesisTests.McNemar(0, 0, exact: false).Should().Be(new TestResult(0.0, 1.0, 1.0));
        HypothesisTests.McNemar(0, 0, exact: true).Should().Be(new TestResult(0.0, 1.0));
    }

    [Fact]
    public void McNemar_NegativeCount_NamesTheArgument()
    {
        FluentActions.Invoking(() => HypothesisTests.McNemar(2, -1, exact: true))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("c");
    }

    [Fact]
    public void KolmogorovSmirnovTwoSample_ReferenceSamples_MatchScipyAsymp()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "kolmogorovSmirnov"))
        {
            double[] a = ReferenceFile.Doubles(c!["a"]);
            double[] b = ReferenceFile.Doubles(c["b"]);
            foreach (JsonNode? r in c["results"]!.AsArray())
            {
                var alternative = Enum.Parse<Alternative>(r!["alternative"]!.GetValue<string>());
                var result = HypothesisTests.KolmogorovSmirnovTwoSample(a, b, alternative);
                string because = $"{c["shape"]} {alternative}";
                ReferenceFile.ShouldMatch(result.Statistic, ReferenceFile.Double(r["statistic"]), because);
                ReferenceFile.ShouldMatch(result.PValue, ReferenceFile.Double(r["pValue"]), because);
            }
        }
    }

    [Fact]
    public void KolmogorovSmirnovTwoSample_BadInput_NamesTheArgument()
    {
        FluentActions.Invoking(() => HypothesisTests.KolmogorovSmirnovTwoSample([], [1.0]))
            .Should().Throw<ArgumentException>().WithParameterName("sampleA");
        FluentActions.Invoking(() => HypothesisTests.KolmogorovSmirnovTwoSample([1.0, 2.0], [double.PositiveInfinity]))
            .Should().Throw<ArgumentException>().WithParameterName("sampleB").WithMessage("*element 0*");
        FluentActions.Invoking(() => HypothesisTests.KolmogorovSmirnovTwoSample([1.0], [2.0]))
            .Should().Throw<ArgumentException>().WithParameterName("sampleB");
    }
}
