using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

public sealed class CaseQualityScorerTests
{
    [Fact]
    public void Score_KnownCase_WeightedMeanOfBreakdown()
    {
        var clock = new ManualClock(CaseTestData.Now);
        var scorer = new CaseQualityScorer(new CaseQualityOptions { StalenessHalfLife = TimeSpan.FromDays(10) }, clock);
        var c = CaseTestData.Case("a", validatedAt: CaseTestData.Now.AddDays(-10), certainty: 0.9) with
        {
            Input = new CaseInput { Features = [1.0, double.NaN, 2.0, 3.0], RawScore = 0.5 },
        };

        var quality = scorer.Score(c, agreement: 0.5);

        quality.Completeness.Should().Be((0.75 + 1.0) / 2);
        quality.Staleness.Should().BeApproximately(0.5, 1e-12);
        quality.Agreement.Should().Be(0.5);
        quality.ReviewerCertainty.Should().Be(0.9);
        quality.Score.Should().BeApproximately((0.25 * 0.875) + (0.35 * 0.9) + (0.25 * 0.5) + (0.15 * 0.5), 1e-12);
    }

    [Fact]
    public void Score_ExpectedClassScoresMissing_CompletenessCountsThem()
    {
        var scorer = new CaseQualityScorer(new CaseQualityOptions { ExpectedInputs = CaseInputParts.RawScore | CaseInputParts.ClassScores }, new ManualClock(CaseTestData.Now));
        scorer.Score(CaseTestData.Case("a")).Completeness.Should().Be(0.5);
    }

    [Fact]
    public void Score_OlderValidation_LowerScore()
    {
        var scorer = new CaseQualityScorer(timeProvider: new ManualClock(CaseTestData.Now));
        double fresh = scorer.Score(CaseTestData.Case("a", validatedAt: CaseTestData.Now)).Score;
        double old = scorer.Score(CaseTestData.Case("a", validatedAt: CaseTestData.Now.AddYears(-3))).Score;
        old.Should().BeLessThan(fresh);
    }

    [Fact]
    public void Constructor_NegativeWeight_NamesOption()
    {
        var act = () => new CaseQualityScorer(new CaseQualityOptions { AgreementWeight = -1 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options.AgreementWeight");
    }

    [Fact]
    public void Constructor_AllWeightsZero_Throws()
    {
        var act = () => new CaseQualityScorer(new CaseQualityOptions { CompletenessWeight = 0, ReviewerCertaintyWeight = 0, AgreementWeight = 0, FreshnessWeight = 0 });
        act.Should().Throw<ArgumentException>().WithParameterName("options");
    }

    [Fact]
    public void Score_AgreementOutOfRange_Throws()
    {
        var act = () => new CaseQualityScorer().Score(CaseTestData.Case("a"), double.NaN);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("agreement");
    }
}
