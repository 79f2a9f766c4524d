using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

public sealed class IsotonicCalibratorTests
{
    public static TheoryData<string> Cases => CalibrationReference.Names("isotonic");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_ReferenceData_MatchesScikitLearnThresholdsAndPredictions(string name)
    {
        var c = CalibrationReference.Case("isotonic", name);
        double[] scores = c.Doubles("scores");

        IsotonicCalibrator isotonic = Fit(c);

        isotonic.Thresholds.ToArray().ShouldAgreeWith(c.Doubles("thresholds"), "thresholds");
        isotonic.Values.ToArray().ShouldAgreeWith(c.Doubles("values"), "values");
        var train = new double[scores.Length];
        isotonic.Calibrate(scores, train);
        train.ShouldAgreeWith(c.Doubles("train_predictions"), "train predictions");
        double[] probe = c.Doubles("probe");
        var predicted = new double[probe.Length];
        isotonic.Calibrate(probe, predicted);
        predicted.ShouldAgreeWith(c.Doubles("probe_predictions"), "probe predictions");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Calibrate_RandomData_IsMonotoneIncreasing(int seed)
    {
        var (scores, labels) = CalibratorTestData.Margins(300, seed);
        var isotonic = IsotonicCalibrator.Fit(scores, labels);
        double[] grid = Enumerable.Range(0, 2001).Select(i => -5.0 + (i * 0.005)).ToArray();
        var calibrated = new double[grid.Length];

        isotonic.Calibrate(grid, calibrated);

        for (int i = 1; i < grid.Length; i++)
        {
            calibrated[i].Should().BeGreaterThanOrEqualTo(calibrated[i - 1], $"at {grid[i]}");
        }
    }

    [Fact]
    public void Fit_TiedScores_PoolsThemBeforeRegression()
    {
        double[] scores = [1.0, 1.0, 1.0, 1.0, 2.0, 3.0];
        bool[] labels = [true, false, false, false, true, true];

        var isotonic = IsotonicCalibrator.Fit(scores, labels);

        isotonic.Calibrate(1.0).Should().Be(0.25);
        isotonic.Thresholds.ToArray().Should().Equal(1.0, 2.0, 3.0);
        isotonic.Values.ToArray().Should().Equal(0.25, 1.0, 1.0);
    }

    [Fact]
    public void Calibrate_OutsideFittedRange_ClipsToEndValues()
    {
        double[] scores = [0.0, 1.0, 2.0, 3.0];
        bool[] labels = [false, true, false, true];

        var isotonic = IsotonicCalibrator.Fit(scores, labels);

        isotonic.Calibrate(-100.0).Should().Be(0.0);
        isotonic.Calibrate(100.0).Should().Be(1.0);
        isotonic.Calibrate(1.5).Should().Be(0.5, "the violators (1, 2) pool to 0.5 and the flat run's interior is dropped");
        isotonic.Calibrate(2.5).Should().Be(0.75, "linear interpolation between (2, 0.5) and (3, 1)");
    }

    [Fact]
    public void Fit_ZeroWeightCases_AreIgnored()
    {
        double[] scores = [0.0, 1.0, 2.0, 3.0];
        bool[] labels = [false, true, false, true];
        double[] weights = [1.0, 0.0, 1.0, 1.0];

        var isotonic = IsotonicCalibrator.Fit(scores, labels, weights);

        isotonic.Thresholds.ToArray().Should().Equal(0.0, 2.0, 3.0);
    }

    [Fact]
    public void Fit_NegativeWeight_ThrowsNamingWeightsAndIndex()
    {
        var act = () => IsotonicCalibrator.Fit([0.0, 1.0], [false, true], [1.0, -1.0]);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "weights" && e.Message.Contains("element 1"));
    }

    [Fact]
    public void Fit_AllWeightsZero_ThrowsNamingWeights()
    {
        var act = () => IsotonicCalibrator.Fit([0.0, 1.0], [false, true], [0.0, 0.0]);
        act.Should().Throw<ArgumentException>().WithParameterName("weights");
    }

    [Fact]
    public void Fit_TargetOutsideUnitInterval_ThrowsNamingTargetsAndIndex()
    {
        var act = () => IsotonicCalibrator.Fit([0.0, 1.0, 2.0], [0.1, 1.5, 0.2], [1.0, 1.0, 1.0]);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "targets" && e.Message.Contains("element 1"));
    }

    [Fact]
    public void Fit_LargeContinuousData_MatchesComparisonSortFit()
    {
        // The bucket sort must give the same order as a comparison sort, including duplicates.
        var (scores, labels) = CalibratorTestData.Margins(20_000, seed: 5);
        for (int i = 0; i < 2_000; i++)
        {
            scores[i] = Math.Round(scores[i], 1);
        }

        var isotonic = IsotonicCalibrator.Fit(scores, labels);

        int[] order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ThenBy(i => labels[i]).ToArray();
        double[] sortedScores = order.Select(i => scores[i]).ToArray();
        double[] sortedTargets = order.Select(i => labels[i] ? 1.0 : 0.0).ToArray();
        var expected = IsotonicCalibrator.Fit(sortedScores, sortedTargets, Enumerable.Repeat(1.0, scores.Length).ToArray());
        isotonic.Thresholds.ToArray().Should().Equal(expected.Thresholds.ToArray());
        isotonic.Values.ToArray().ShouldAgreeWith(expected.Values.ToArray(), "values");
    }

    private static IsotonicCalibrator Fit(System.Text.Json.JsonElement c)
    {
        double[] scores = c.Doubles("scores");
        if (!c.IsNull("targets"))
        {
            return IsotonicCalibrator.Fit(scores, c.Doubles("targets"), c.Doubles("weights"));
        }

        bool[] labels = c.Bools("labels");
        return c.IsNull("weights") ? IsotonicCalibrator.Fit(scores, labels) : IsotonicCalibrator.Fit(scores, labels, c.Doubles("weights"));
    }

    [Fact]
    public void Calibrate_BatchInPlaceAcrossBlocks_EqualsScalarAtEveryScore()
    {
        var random = new Random(21);
        double[] scores = Enumerable.Range(0, 2_000).Select(_ => random.NextDouble()).ToArray();
        bool[] labels = scores.Select(s => random.NextDouble() < s * s).ToArray();
        var isotonic = IsotonicCalibrator.Fit(scores, labels);
        // Scores beyond both ends, at the thresholds themselves, and in between, over several 256-score blocks.
        double[] probe = [.. Enumerable.Range(0, 1_000).Select(_ => (random.NextDouble() * 1.4) - 0.2), .. isotonic.Thresholds];
        double[] expected = probe.Select(isotonic.Calibrate).ToArray();

        isotonic.Calibrate(probe, probe);

        probe.Should().Equal(expected);
    }

    [Fact]
    public void Calibrate_BatchNaNInALaterBlock_ThrowsNamingScoresAndTheIndex()
    {
        var isotonic = IsotonicCalibrator.Fit([0.1, 0.4, 0.6, 0.9], [false, false, true, true]);
        double[] scores = Enumerable.Repeat(0.5, 600).ToArray();
        scores[517] = double.NaN;

        var act = () => isotonic.Calibrate(scores, new double[scores.Length]);

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "scores" && e.Message.Contains("element 517"));
    }
}
