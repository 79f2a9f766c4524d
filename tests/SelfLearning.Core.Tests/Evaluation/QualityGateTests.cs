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
    public void Evaluate_LargeHoldout_NormalIntervalsAreTheFormulasAndAgreeWithTheBootstrap()
    {
        // Above MaximumBootstrapCases (the default path from 20,000 held-out cases) the Brier and log loss rules use
        // mean ± z·s/√n of the per-case differences. Check the interval itself, not only its centre: against that
        // formula computed here, and against the paired bootstrap's percentile interval on the same cases.
        var (raw, calibrated, labels) = Sample(20_000, 4);

        var bootstrap = QualityGate.Evaluate(raw, calibrated, labels, new QualityGateOptions { BootstrapIterations = 2_000 });
        var normal = QualityGate.Evaluate(raw, calibrated, labels, new QualityGateOptions { MaximumBootstrapCases = 10 });

        var brier = new double[labels.Length];
        var logLoss = new double[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            double y = labels[i] ? 1.0 : 0.0;
            brier[i] = ((calibrated[i] - y) * (calibrated[i] - y)) - ((raw[i] - y) * (raw[i] - y));
            logLoss[i] = Loss(calibrated[i], labels[i]) - Loss(raw[i], labels[i]);
        }

        foreach (var (rule, differences) in new[] { (QualityGate.BrierRule, brier), (QualityGate.LogLossRule, logLoss) })
        {
            double mean = differences.Average();
            double sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Length - 1));
            double half = 1.959963984540054 * sd / Math.Sqrt(differences.Length);
            var (normalLower, normalUpper) = Interval(normal.Rules.Single(r => r.Rule == rule).Detail);
            var (bootLower, bootUpper) = Interval(bootstrap.Rules.Single(r => r.Rule == rule).Detail);

            // The detail prints four significant digits.
            normal.Rules.Single(r => r.Rule == rule).Value.Should().BeApproximately(mean, Math.Abs(mean) * 1e-9);
            normalLower.Should().BeApproximately(mean - half, Math.Abs(mean - half) * 1e-3, rule);
            normalUpper.Should().BeApproximately(mean + half, Math.Abs(mean + half) * 1e-3, rule);
            double width = bootUpper - bootLower;
            normalLower.Should().BeApproximately(bootLower, 0.1 * width, "{0}: the bootstrap converges to the normal interval", rule);
            normalUpper.Should().BeApproximately(bootUpper, 0.1 * width, "{0}: the bootstrap converges to the normal interval", rule);
        }

        normal.Passed.Should().Be(bootstrap.Passed);
    }

    private static double Loss(double p, bool y)
    {
        const double epsilon = 1e-15;
        double clipped = Math.Clamp(p, epsilon, 1.0 - epsilon);
        return -Math.Log(y ? clipped : 1.0 - clipped);
    }

    /// <summary>The "[lower, upper]" interval a proper-score rule's detail prints.</summary>
    private static (double Lower, double Upper) Interval(string detail)
    {
        var match = System.Text.RegularExpressions.Regex.Match(detail, @"interval \[(?<lo>[^,\]]+), (?<hi>[^\]]+)\]");
        match.Success.Should().BeTrue($"the detail \"{detail}\" prints the interval");
        return (
            double.Parse(match.Groups["lo"].Value, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(match.Groups["hi"].Value, System.Globalization.CultureInfo.InvariantCulture));
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
