using System.Text.Json;
using MathNet.Numerics.Distributions;
using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class BetaBinomialAnalysisTests
{
    public static IEnumerable<object[]> Cases => ExperimentsReference.Cases(ExperimentsReference.SciPy, "bayes");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compare_ReferenceCase_MatchesSciPyQuadrature(int index)
    {
        JsonElement c = ExperimentsReference.SciPy.GetProperty("bayes")[index];
        BayesianComparison result = BetaBinomialAnalysis.Compare(
            c.GetProperty("successesA").GetInt64(), c.GetProperty("trialsA").GetInt64(),
            c.GetProperty("successesB").GetInt64(), c.GetProperty("trialsB").GetInt64(),
            c.GetProperty("priorAlpha").GetDouble(), c.GetProperty("priorBeta").GetDouble());

        AssertClose(result.ChanceToBeat, c.GetProperty("chanceToBeat").GetDouble());
        AssertClose(result.ExpectedLossChallenger, c.GetProperty("expectedLossChallenger").GetDouble());
        AssertClose(result.ExpectedLossChampion, c.GetProperty("expectedLossChampion").GetDouble());
    }

    [Fact]
    public void Compare_AgreesWithMonteCarloDraws()
    {
        // 200,000 posterior draws: the standard error of a probability estimate is at most 0.0011.
        const int draws = 200_000;
        var rng = new Random(7);
        var a = new Beta(31, 171, rng);
        var b = new Beta(41, 161, rng);
        int wins = 0;
        double loss = 0;
        for (int i = 0; i < draws; i++)
        {
            double pa = a.Sample(), pb = b.Sample();
            wins += pb > pa ? 1 : 0;
            loss += Math.Max(pa - pb, 0);
        }

        BayesianComparison result = BetaBinomialAnalysis.Compare(30, 200, 40, 200);
        result.ChanceToBeat.Should().BeApproximately((double)wins / draws, 0.005);
        result.ExpectedLossChallenger.Should().BeApproximately(loss / draws, 0.0005);
    }

    [Fact]
    public void Compare_SwappingArms_GivesComplementAndSwappedLosses()
    {
        BayesianComparison forward = BetaBinomialAnalysis.Compare(120, 1000, 140, 1000);
        BayesianComparison backward = BetaBinomialAnalysis.Compare(140, 1000, 120, 1000);

        (forward.ChanceToBeat + backward.ChanceToBeat).Should().BeApproximately(1.0, 1e-9);
        forward.ExpectedLossChallenger.Should().BeApproximately(backward.ExpectedLossChampion, 1e-12);
        // E[B − A] = E[(B − A)+] − E[(A − B)+] = 141/1002 − 121/1002.
        (forward.ExpectedLossChampion - forward.ExpectedLossChallenger).Should().BeApproximately(20.0 / 1002.0, 1e-9);
    }

    [Fact]
    public void Compare_BadCounts_ThrowNamingArgument()
    {
        FluentActions.Invoking(() => BetaBinomialAnalysis.Compare(5, 4, 0, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("trialsA");
        FluentActions.Invoking(() => BetaBinomialAnalysis.Compare(0, 4, -1, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("successesB");
        FluentActions.Invoking(() => BetaBinomialAnalysis.Compare(0, 4, 0, 1, priorAlpha: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("priorAlpha");
    }

    private static void AssertClose(double actual, double expected) =>
        actual.Should().BeApproximately(expected, Math.Max(1e-6 * Math.Abs(expected), 1e-10));
}
