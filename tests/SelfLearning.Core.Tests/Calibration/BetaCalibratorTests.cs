using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

public sealed class BetaCalibratorTests
{
    public static TheoryData<string> Cases => CalibrationReference.Names("beta");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_ReferenceData_MatchesOptimumOfReferenceObjective(string name)
    {
        var c = CalibrationReference.Case("beta", name);

        var beta = BetaCalibrator.Fit(c.Doubles("scores"), c.Bools("labels"));

        beta.Report.Converged.Should().BeTrue();
        beta.A.ShouldAgreeWith(c.GetProperty("a").GetDouble(), "a");
        beta.B.ShouldAgreeWith(c.GetProperty("b").GetDouble(), "b");
        beta.C.ShouldAgreeWith(c.GetProperty("c").GetDouble(), "c");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calibrate_ReferenceProbe_MatchesReferenceMap(string name)
    {
        var c = CalibrationReference.Case("beta", name);
        var beta = BetaCalibrator.Fit(c.Doubles("scores"), c.Bools("labels"));
        double a = c.GetProperty("a").GetDouble(), b = c.GetProperty("b").GetDouble(), cc = c.GetProperty("c").GetDouble();

        foreach (double p in c.Doubles("probe"))
        {
            double s = Math.Clamp(p, BetaCalibrator.Epsilon, 1 - BetaCalibrator.Epsilon);
            double expected = 1.0 / (1.0 + Math.Exp(-(cc + (a * Math.Log(s)) - (b * Math.Log(1 - s)))));
            beta.Calibrate(p).ShouldAgreeWith(expected, $"p = {p}");
        }
    }

    [Theory]
    [InlineData("beta_decreasing_low", "b_only")]
    [InlineData("beta_decreasing_high", "a_only")]
    public void Fit_NegativeCoefficient_RefitsWithoutThatFeature(string name, string branch)
    {
        var c = CalibrationReference.Case("beta", name);
        c.GetProperty("branch").GetString().Should().Be(branch);

        var beta = BetaCalibrator.Fit(c.Doubles("scores"), c.Bools("labels"));

        (branch == "b_only" ? beta.A : beta.B).Should().Be(0.0);
        beta.A.Should().BeGreaterThanOrEqualTo(0.0);
        beta.B.Should().BeGreaterThanOrEqualTo(0.0);
    }

    [Fact]
    public void Calibrate_IdentityParameters_ReturnsTheScore()
    {
        // a = b = 1, c = 0 is the identity map: s^1 / (1 − s)^1 are the odds of s.
        var beta = BetaCalibrator.Restore(1.0, 1.0, 0.0, new SolverReport(0, true));
        beta.Calibrate(0.3).Should().BeApproximately(0.3, 1e-15);
        beta.Calibrate(0.0).Should().BeApproximately(BetaCalibrator.Epsilon, 1e-30);
    }

    [Fact]
    public void Fit_ScoreOutsideUnitInterval_ThrowsNamingScoresAndIndex()
    {
        var act = () => BetaCalibrator.Fit([0.2, 1.2], [false, true]);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "scores" && e.Message.Contains("element 1"));
    }
}
