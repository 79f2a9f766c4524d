using System.Collections.Immutable;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

public sealed class CaseInputRequirementsTests
{
    private static readonly CaseInput Full = new()
    {
        Features = [1.0, 2.0, 3.0],
        RawScore = 0.4,
        ClassScores = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, double>("flu", 0.7)]),
    };

    [Fact]
    public void Check_None_AcceptsAnEmptyInput()
    {
        CaseInputRequirements.None.Check(CaseInput.Empty).Should().BeNull();
    }

    [Fact]
    public void Check_AnyPart_RejectsAnEmptyInputAsMissing()
    {
        CaseInputRequirements.AnyPart.Check(CaseInput.Empty).Should().Be(CaseRejectionReason.MissingInput);
        CaseInputRequirements.AnyPart.Check(new CaseInput { RawScore = 1.0 }).Should().BeNull();
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Check_NonFiniteNumberInAnyPart_RejectedWhateverTheRequirements(double bad)
    {
        var inFeatures = Full with { Features = [1.0, bad, 3.0] };
        var inRaw = Full with { RawScore = bad };
        var inClasses = Full with { ClassScores = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, double>("flu", bad)]) };

        foreach (var requirements in new[] { CaseInputRequirements.None, CaseInputRequirements.AnyPart, CaseInputRequirements.RawScore, CaseInputRequirements.Features(3) })
        {
            requirements.Check(inFeatures).Should().Be(CaseRejectionReason.NonFiniteInput);
            requirements.Check(inRaw).Should().Be(CaseRejectionReason.NonFiniteInput);
            requirements.Check(inClasses).Should().Be(CaseRejectionReason.NonFiniteInput);
        }
    }

    [Fact]
    public void Check_RawScoreRequiredButOnlyFeatures_RejectedAsMissing()
    {
        CaseInputRequirements.RawScore.Check(new CaseInput { Features = [0.5] }).Should().Be(CaseRejectionReason.MissingInput);
        CaseInputRequirements.RawScore.Check(Full).Should().BeNull();
    }

    [Fact]
    public void Check_ClassScoresRequired_RejectsInputWithout()
    {
        CaseInputRequirements.ClassScores.Check(new CaseInput { RawScore = 0.5 }).Should().Be(CaseRejectionReason.MissingInput);
        CaseInputRequirements.ClassScores.Check(Full).Should().BeNull();
    }

    [Theory]
    [InlineData(2, CaseRejectionReason.FeatureCountMismatch)]
    [InlineData(3, null)]
    [InlineData(4, CaseRejectionReason.FeatureCountMismatch)]
    public void Check_FeatureCount_OnlyTheDeclaredCountPasses(int declared, CaseRejectionReason? expected)
    {
        CaseInputRequirements.Features(declared).Check(Full).Should().Be(expected);
    }

    [Fact]
    public void Check_FeaturesOfAnyCount_NeedsAtLeastOne()
    {
        CaseInputRequirements.Features().Check(new CaseInput { RawScore = 0.1 }).Should().Be(CaseRejectionReason.MissingInput);
        CaseInputRequirements.Features().Check(new CaseInput { Features = [0.1] }).Should().BeNull();
    }

    [Fact]
    public void WithParts_AddsToWhatIsRequired()
    {
        var both = CaseInputRequirements.Features(3).WithParts(CaseInputParts.RawScore);

        both.Check(Full).Should().BeNull();
        both.Check(Full with { RawScore = null }).Should().Be(CaseRejectionReason.MissingInput);
        both.ToString().Should().Be("features(3)+rawScore");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Features_NonPositiveCount_Throws(int count)
    {
        var act = () => CaseInputRequirements.Features(count);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(count));
    }

    [Fact]
    public void WithParts_UndefinedFlag_Throws()
    {
        var act = () => CaseInputRequirements.None.WithParts((CaseInputParts)64);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("parts");
    }

    [Fact]
    public void Check_NullInput_Throws()
    {
        var act = () => CaseInputRequirements.None.Check(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("input");
    }
}
