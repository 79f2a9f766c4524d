using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class MixtureSequentialTestTests
{
    [Fact]
    public void MixingScale_MatchesGrowthBookFormula()
    {
        // rho^2 = (-2 ln 0.05 + ln(1 - 2 ln 0.05)) / 5000 = 7.936154601737565 / 5000
        MixtureSequentialTest.MixingScale(5000, 0.05).Should().BeApproximately(7.936154601737565 / 5000, 1e-15);
    }

    [Fact]
    public void Evaluate_EstimateOnIntervalBoundary_HasLikelihoodRatioOneOverAlpha()
    {
        SequentialTestResult probe = MixtureSequentialTest.Evaluate(0.0, 1e-4, 0.2, 4000, 0.05);
        double boundary = probe.Upper;

        SequentialTestResult atBoundary = MixtureSequentialTest.Evaluate(boundary, 1e-4, 0.2, 4000, 0.05);

        atBoundary.LikelihoodRatio.Should().BeApproximately(20.0, 1e-9);
        atBoundary.PValue.Should().BeApproximately(0.05, 1e-12);
        probe.Lower.Should().BeApproximately(-boundary, 1e-15);
    }

    [Fact]
    public void Evaluate_MatchesClosedForm()
    {
        double v = 2e-4, tau2 = MixtureSequentialTest.MixingScale(1000, 0.05) * 0.3, theta = 0.03;
        double expected = Math.Sqrt(v / (v + tau2)) * Math.Exp(theta * theta * tau2 / (2 * v * (v + tau2)));

        SequentialTestResult result = MixtureSequentialTest.Evaluate(theta, v, 0.3, 1000, 0.05);

        result.MixtureVariance.Should().BeApproximately(tau2, 1e-18);
        result.LikelihoodRatio.Should().BeApproximately(expected, 1e-9 * expected);
        result.PValue.Should().BeApproximately(1 / expected, 1e-12);
    }

    [Fact]
    public void Evaluate_PValue_IsTheRunningMinimum()
    {
        SequentialTestResult strong = MixtureSequentialTest.Evaluate(0.05, 1e-4, 0.2, 4000, 0.05);
        SequentialTestResult weakLater = MixtureSequentialTest.Evaluate(0.0, 1e-4, 0.2, 4000, 0.05, strong.PValue);

        strong.PValue.Should().BeLessThan(0.01);
        weakLater.LikelihoodRatio.Should().BeLessThan(1.0);
        weakLater.PValue.Should().Be(strong.PValue);
    }

    [Fact]
    public void Evaluate_NoVariance_GivesNoEvidence()
    {
        SequentialTestResult result = MixtureSequentialTest.Evaluate(0.0, 0.0, 0.0, 100, 0.05);
        result.LikelihoodRatio.Should().Be(1.0);
        result.PValue.Should().Be(1.0);
    }

    [Fact]
    public void Evaluate_BadArguments_ThrowNamingArgument()
    {
        FluentActions.Invoking(() => MixtureSequentialTest.Evaluate(double.NaN, 1, 1, 10, 0.05)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("estimate");
        FluentActions.Invoking(() => MixtureSequentialTest.Evaluate(0, -1, 1, 10, 0.05)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("variance");
        FluentActions.Invoking(() => MixtureSequentialTest.Evaluate(0, 1, 1, 0, 0.05)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("plannedSampleSize");
        FluentActions.Invoking(() => MixtureSequentialTest.Evaluate(0, 1, 1, 10, 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");
        FluentActions.Invoking(() => MixtureSequentialTest.Evaluate(0, 1, 1, 10, 0.05, 2.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("previousPValue");
    }
}
