using SelfLearning.Evaluation;

namespace SelfLearning.Tests.Evaluation;

public sealed class QualityGateTests
{
    /// <summary>Overconfident raw probabilities (P(y) = 0.2 + 0.6 s) and their exact calibration.</summary>
    private static (double[] Raw, double[] Calibrated, bool[] Labels) Sample(int n, int seed)
    {
        var random = new Random(seed);
        var raw = new double[n];
        var calibrated = new double[n];
        var labels = new bool[n];
        for (int i = 0; i < n; i++)
        {
            raw[i] = 0.5 + (0.5 * random.NextDouble());
            calibrated[i] = 0.2 + (0.6 * raw[i]);
            labels[i] = random.NextDouble() < calibrated[i];
        }

        return (raw, calibrated, labels);
    }

    [Fact]
    public void Evaluate_CalibratedAgainstOverconfident_PassesEveryRule()
    {
        var (raw, calibrated, labels) = Sample(5_000, 1);

        var verdict = QualityGate.Evaluate(raw, calibrated, labels);

        verdict.Passed.Should().BeTrue();
        verdict.Rules.Select(r => r.Rule).Should().Equal(
            QualityGate.MinimumHoldoutRule, QualityGate.EceImprovementRule, QualityGate.BrierRule, QualityGate.LogLossRule, QualityGate.AccuracyRule);
        verdict.CandidateMetrics[QualityGate.EceMetric].Should().BeLessThan(verdict.ChampionMetrics[QualityGate.EceMetric] * 0.5);
    }

    [Fact]
    public void Evaluate_OverconfidentAgainstCalibrated_FailsEceBrierAndLogLoss()
    {
        var (raw, calibrated, labels) = Sample(5_000, 2);

        var verdict = QualityGate.Evaluate(calibrated, raw, labels);

        verdict.Passed.Should().BeFalse();
        verdict.Failures.Select(f => f.Rule).Should().Equal(QualityGate.EceImprovementRule, QualityGate.BrierRule, QualityGate.LogLossRule);
    }

    [Fact]
    public void Evaluate_CandidateRepeatingACalibratedChampion_FailsTheEceRule()
    {
        // A retrained calibrator equal to a champion that is already calibrated must not be rolled out as "better".
        var (_, calibrated, labels) = Sample(50_000, 4);
        var options = new QualityGateOptions();

        var verdict = QualityGate.Evaluate(calibrated, calibrated.ToArray(), labels, options);

        verdict.ChampionMetrics[QualityGate.EceMetric].Should().BeLessThanOrEqualTo(options.EceFloor, "the champion is calibrated, the case under test");
        verdict.Passed.Should().BeFalse();
        var failure = verdict.Failures.Should().ContainSingle().Subject;
        failure.Rule.Should().Be(QualityGate.EceImprovementRule);
        failure.Detail.Should().Contain("strictly lower log loss");
    }

    [Fact]
    public void Evaluate_SharperCandidateAgainstACalibratedChampion_Passes()
    {
        // The champion is calibrated but blurred toward the base rate; the exact calibration is better on log loss.
        var (_, calibrated, labels) = Sample(50_000, 5);
        double mean = calibrated.Average();
        var blurred = calibrated.Select(p => (0.9 * p) + (0.1 * mean)).ToArray();
        var options = new QualityGateOptions();

        var verdict = QualityGate.Evaluate(blurred, calibrated, labels, options);

        verdict.ChampionMetrics[QualityGate.EceMetric].Should().BeLessThanOrEqualTo(options.EceFloor, "the champion is calibrated, the case under test");
        verdict.CandidateMetrics["log_loss"].Should().BeLessThan(verdict.ChampionMetrics["log_loss"]);
        verdict.Passed.Should().BeTrue();
    }

    [Fact]
    public void Evaluate_TooFewHoldoutCases_FailsTheMinimumWithItsNumbers()
    {
        var (raw, calibrated, labels) = Sample(50, 3);

        var verdict = QualityGate.Evaluate(raw, calibrated, labels, new QualityGateOptions { MinimumHoldoutSize = 200 });

        var rule = verdict.Rules.Single(r => r.Rule == QualityGate.MinimumHoldoutRule);
        rule.Passed.Should().BeFalse();
        (rule.Value, rule.Threshold).Should().Be((50, 200));
        verdict.Passed.Should().BeFalse();
    }

    [Fact]
    public void Evaluate_LargeHoldout_NormalIntervalsAgreeWithTheBootstrap()
    {
        var (raw, calibrated, labels) = Sample(20_000, 4);

        var bootstrap = QualityGate.Evaluate(raw, calibrated, labels, new QualityGateOptions { BootstrapIterations = 2_000 });
        var normal = QualityGate.Evaluate(raw, calibrated, labels, new QualityGateOptions { MaximumBootstrapCases = 10 });

        foreach (string rule in new[] { QualityGate.BrierRule, QualityGate.LogLossRule })
        {
            double b = bootstrap.Rules.Single(r => r.Rule == rule).Value;
            normal.Rules.Single(r => r.Rule == rule).Value.Should().BeApproximately(b, Math.Abs(b) * 1e-9);
        }

        normal.Passed.Should().Be(bootstrap.Passed);
        normal.ToJson().Should().Contain("paired interval");
    }

    [Fact]
    public void Evaluate_OptionOutOfRange_ThrowsNamingIt()
    {
        var (raw, calibrated, labels) = Sample(300, 5);

        var act = () => QualityGate.Evaluate(raw, calibrated, labels, new QualityGateOptions { Alpha = 0.9 });

        act.Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().WithMessage("*Alpha*");
    }

    [Fact]
    public void ToJson_RoundTrips()
    {
        var (raw, calibrated, labels) = Sample(500, 6);
        var verdict = QualityGate.Evaluate(raw, calibrated, labels);

        var copy = QualityGateVerdict.FromJson(verdict.ToJson());

        copy.Passed.Should().Be(verdict.Passed);
        copy.Rules.Should().Equal(verdict.Rules);
        copy.CandidateMetrics.Should().Equal(verdict.CandidateMetrics);
    }
}
