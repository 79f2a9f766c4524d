using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

public sealed class PlattCalibratorTests
{
    public static TheoryData<string> Cases => CalibrationReference.Names("platt");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_ReferenceData_MatchesExactOptimumOfPlattObjective(string name)
    {
        var c = CalibrationReference.Case("platt", name);

        var platt = PlattCalibrator.Fit(c.Doubles("scores"), c.Bools("labels"));

        platt.Report.Converged.Should().BeTrue();
        platt.A.ShouldAgreeWith(c.GetProperty("a").GetDouble(), "A");
        platt.B.ShouldAgreeWith(c.GetProperty("b").GetDouble(), "B");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calibrate_ReferenceProbe_MatchesReferenceSigmoid(string name)
    {
        var c = CalibrationReference.Case("platt", name);
        var platt = PlattCalibrator.Fit(c.Doubles("scores"), c.Bools("labels"));
        double a = c.GetProperty("a").GetDouble(), b = c.GetProperty("b").GetDouble();
        double[] probe = c.Doubles("probe");

        foreach (double s in probe)
        {
            double expected = 1.0 / (1.0 + Math.Exp((a * s) + b));
            platt.Calibrate(s).ShouldAgreeWith(expected, $"s = {s}");
        }
    }

    [Fact]
    public void Fit_ReferenceData_IsNoWorseThanScikitLearnsBfgs()
    {
        // sklearn's _sigmoid_calibration stops BFGS early; the exact optimum must be at least as good.
        foreach (var c in CalibrationReference.Cases("platt").Values)
        {
            double[] s = c.Doubles("scores");
            bool[] y = c.Bools("labels");
            var platt = PlattCalibrator.Fit(s, y);
            double ours = PlattObjective(s, y, platt.A, platt.B);
            double theirs = PlattObjective(s, y, c.GetProperty("sklearn_a").GetDouble(), c.GetProperty("sklearn_b").GetDouble());
            ours.Should().BeLessThanOrEqualTo(theirs + 1e-9);
        }
    }

    [Fact]
    public void Fit_SeparableData_ConvergesToFiniteParameters()
    {
        double[] scores = Enumerable.Range(0, 100).Select(i => (i - 50) / 10.0).ToArray();
        bool[] labels = scores.Select(s => s > 0).ToArray();

        var platt = PlattCalibrator.Fit(scores, labels);

        platt.Report.Converged.Should().BeTrue();
        double.IsFinite(platt.A).Should().BeTrue();
        double.IsFinite(platt.B).Should().BeTrue();
        platt.A.Should().BeNegative("higher scores are positive");
        // Platt's targets cap the fitted probabilities near the smoothed targets, never 0 or 1 exactly.
        platt.Calibrate(5.0).Should().BeLessThan(1.0).And.BeGreaterThan(0.9);
    }

    [Fact]
    public void Fit_RawMarginsOfThousands_ConvergesWithoutNaN()
    {
        var (scores, labels) = CalibratorTestData.Margins(1000, seed: 3, scale: 250.0);
        double[] extreme = [.. scores, -1e3, 1e3, 999.0, -999.0];
        bool[] extremeLabels = [.. labels, false, true, true, false];

        var platt = PlattCalibrator.Fit(extreme, extremeLabels);

        platt.Report.Converged.Should().BeTrue();
        // The generating slope is 1.5 per unit of the unscaled margin, i.e. 1.5/250 here.
        platt.A.Should().BeApproximately(-1.5 / 250.0, 0.002);
        foreach (double s in new[] { -1e3, 1e3, 0.0 })
        {
            double p = platt.Calibrate(s);
            double.IsNaN(p).Should().BeFalse();
            p.Should().BeInRange(0.0, 1.0);
        }
    }

    [Fact]
    public void Fit_AllScoresEqual_PredictsSmoothedBaseRate()
    {
        double[] scores = Enumerable.Repeat(0.3, 10).ToArray();
        bool[] labels = [true, true, true, false, false, false, false, false, false, false];

        var platt = PlattCalibrator.Fit(scores, labels);

        // Only the level A·s + B is identified; it equals the mean smoothed target (3·4/5 + 7/9)/10.
        double expected = ((3 * (4.0 / 5.0)) + (7 * (1.0 / 9.0))) / 10.0;
        platt.Calibrate(0.3).Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void Probability_IsThePlattFormula()
    {
        PlattCalibrator.Probability(2.0, -1.5, 0.25).Should().BeApproximately(1.0 / (1.0 + Math.Exp((-1.5 * 2.0) + 0.25)), 1e-15);
        PlattCalibrator.Probability(1e6, 1.0, 0.0).Should().Be(0.0);
        PlattCalibrator.Probability(-1e6, 1.0, 0.0).Should().Be(1.0);
    }

    [Fact]
    public void FromParameters_NaN_ThrowsNamingA()
    {
        var act = () => PlattCalibrator.FromParameters(double.NaN, 0.0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("a");
    }

    [Fact]
    public void Fit_LargeInputSortedByScore_WarmStartedFitIsTheOptimumOfTheFullData()
    {
        // 200,000 cases: above the size where the solver warm-starts from a fit on every k-th case. Sorted by score,
        // so a sample of the first cases would see only low scores; the strided sample must cover the range.
        var (raw, rawLabels) = CalibratorTestData.Margins(200_000, seed: 5);
        int[] order = [.. Enumerable.Range(0, raw.Length).OrderBy(i => raw[i])];
        double[] scores = [.. order.Select(i => raw[i])];
        bool[] labels = [.. order.Select(i => rawLabels[i])];

        var platt = PlattCalibrator.Fit(scores, labels);
        var shuffled = PlattCalibrator.Fit(raw, rawLabels);

        platt.Report.Converged.Should().BeTrue();
        var (gradientA, gradientB) = PlattGradient(scores, labels, platt.A, platt.B);
        Math.Abs(gradientA).Should().BeLessThan(1e-6 * scores.Length, "the gradient in A vanishes at the optimum");
        Math.Abs(gradientB).Should().BeLessThan(1e-6 * scores.Length, "the gradient in B vanishes at the optimum");
        platt.A.Should().BeApproximately(shuffled.A, 1e-8, "the order of the cases (and so the sample) does not move the optimum");
        platt.B.Should().BeApproximately(shuffled.B, 1e-8);
    }

    [Fact]
    public void Fit_LargeInputWhoseStridedSampleHoldsOneClass_StillReachesTheOptimum()
    {
        // 131,072 cases sample every 4th; here every 4th case is negative, so the sample holds one class only.
        var (scores, drawn) = CalibratorTestData.Margins(131_072, seed: 11);
        bool[] labels = [.. drawn.Select((y, i) => i % 4 != 0 && y)];

        var platt = PlattCalibrator.Fit(scores, labels);

        platt.Report.Converged.Should().BeTrue();
        var (gradientA, gradientB) = PlattGradient(scores, labels, platt.A, platt.B);
        Math.Abs(gradientA).Should().BeLessThan(1e-6 * scores.Length);
        Math.Abs(gradientB).Should().BeLessThan(1e-6 * scores.Length);
    }

    /// <summary>The gradient of the Platt objective (the loss on Platt's targets) in A and B, summed case by case.</summary>
    private static (double A, double B) PlattGradient(double[] s, bool[] y, double a, double b)
    {
        int positives = y.Count(v => v), negatives = y.Length - positives;
        double tPos = (positives + 1.0) / (positives + 2.0), tNeg = 1.0 / (negatives + 2.0);
        double ga = 0.0, gb = 0.0;
        for (int i = 0; i < s.Length; i++)
        {
            // p = 1/(1 + e^(a·s + b)); the loss −t·log p − (1 − t)·log(1 − p) has d/da = (t − p)·s and d/db = t − p.
            double p = 1.0 / (1.0 + Math.Exp((a * s[i]) + b));
            double t = y[i] ? tPos : tNeg;
            ga += (t - p) * s[i];
            gb += t - p;
        }

        return (ga, gb);
    }

    private static double PlattObjective(double[] s, bool[] y, double a, double b)
    {
        int positives = y.Count(v => v), negatives = y.Length - positives;
        double tPos = (positives + 1.0) / (positives + 2.0), tNeg = 1.0 / (negatives + 2.0);
        double sum = 0.0;
        for (int i = 0; i < s.Length; i++)
        {
            double z = -((a * s[i]) + b);
            double t = y[i] ? tPos : tNeg;
            sum += Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - (t * z);
        }

        return sum;
    }
}
