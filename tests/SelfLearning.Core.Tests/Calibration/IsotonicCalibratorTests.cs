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

    [Fact]
    public void Fit_ExtremeScoreAtAnyPosition_SpansTheWholeRange()
    {
        // The score range is found four lanes at a time with a scalar tail: the extremes must be seen
        // wherever they are.
        for (int n = 2; n <= 13; n++)
        {
            for (int at = 0; at < n; at++)
            {
                double[] scores = Enumerable.Range(0, n).Select(k => 0.3 + (k * 0.01)).ToArray();
                bool[] labels = Enumerable.Range(0, n).Select(k => k % 2 == 0).ToArray();
                scores[at] = -7.5;
                scores[n - 1 - at] = at == n - 1 - at ? -7.5 : 9.25;

                var isotonic = IsotonicCalibrator.Fit(scores, labels);

                isotonic.Thresholds[0].Should().Be(-7.5, $"n = {n}, minimum at {at}");
                isotonic.Thresholds[^1].Should().Be(scores.Max(), $"n = {n}, maximum at {n - 1 - at}");
            }
        }
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

    public static TheoryData<string> LookupModels => new() { "probabilities", "many thresholds", "clustered", "huge range", "one threshold", "two thresholds" };

    /// <summary>
    /// The bucket table must never change an answer: every score, at, just beside and between the
    /// thresholds and beyond both ends, gets exactly numpy.interp's double on the clipped score. The
    /// models cover a table with few thresholds per bucket, a capped table where buckets hold many
    /// (binary search), and ranges too wide or empty to divide (no table at all).
    /// </summary>
    [Theory]
    [MemberData(nameof(LookupModels))]
    public void Calibrate_AnyScore_IsNumpyInterpBitForBit(string model)
    {
        IsotonicCalibrator isotonic = LookupModel(model);
        double[] xs = isotonic.Thresholds.ToArray();
        double[] ys = isotonic.Values.ToArray();
        var random = new Random(17);
        double lo = xs[0], hi = xs[^1], width = Math.Max(hi - lo, 1.0);
        var probe = new List<double>();
        foreach (double x in xs)
        {
            probe.AddRange([x, Math.BitDecrement(x), Math.BitIncrement(x)]);
        }

        for (int k = 0; k + 1 < xs.Length; k++)
        {
            probe.Add(xs[k] + ((xs[k + 1] - xs[k]) / 2));
        }

        probe.AddRange(Enumerable.Range(0, 20_000).Select(_ => double.IsFinite(hi - lo) ? lo + ((random.NextDouble() * 1.2) - 0.1) * width : (random.NextDouble() - 0.5) * 1e300));
        probe.AddRange([double.MinValue, double.MaxValue, -1e300, 1e300, 0.0, -0.0]);
        double[] scores = [.. probe];
        var batch = new double[scores.Length];

        isotonic.Calibrate(scores, batch);

        for (int i = 0; i < scores.Length; i++)
        {
            double expected = NumpyInterp(Math.Clamp(scores[i], lo, hi), xs, ys);
            BitConverter.DoubleToInt64Bits(batch[i]).Should().Be(BitConverter.DoubleToInt64Bits(expected), $"batch at score {scores[i]:R} ({model})");
            BitConverter.DoubleToInt64Bits(isotonic.Calibrate(scores[i])).Should().Be(BitConverter.DoubleToInt64Bits(expected), $"scalar at score {scores[i]:R} ({model})");
        }
    }

    private static IsotonicCalibrator LookupModel(string model)
    {
        switch (model)
        {
            case "probabilities":
                var (margins, labels) = CalibratorTestData.Margins(50_000, seed: 8);
                return IsotonicCalibrator.Fit(margins.Select(m => 1.0 / (1.0 + Math.Exp(-m))).ToArray(), labels);
            case "many thresholds":
                // Soft targets that rise with the score give thousands of thresholds: more than the
                // table's cap allows 64 buckets each, so some buckets hold many and are binary searched.
                var random = new Random(4);
                double[] scores = Enumerable.Range(0, 40_000).Select(_ => random.NextDouble()).ToArray();
                double[] targets = scores.Select(s => Math.Clamp((s * s) + ((random.NextDouble() - 0.5) * 1e-3), 0.0, 1.0)).ToArray();
                var many = IsotonicCalibrator.Fit(scores, targets, Enumerable.Repeat(1.0, scores.Length).ToArray());
                many.Thresholds.Length.Should().BeGreaterThan(4_096, "the model must exceed the table's 64 buckets per threshold");
                return many;
            case "clustered":
                // A thousand thresholds within 1e-6 of each other, between two far ones: one bucket
                // holds them all.
                double[] xs = [0.0, .. Enumerable.Range(0, 1_000).Select(k => 0.5 + (k * 1e-9)), 1.0];
                double[] ys = Enumerable.Range(0, xs.Length).Select(k => (double)k / (xs.Length - 1)).ToArray();
                return Restore(Json(xs), Json(ys));
            case "huge range":
                return Restore("[-1e308, -1.0, 0.0, 1e-300, 2.0, 1e308]", "[0.0, 0.1, 0.2, 0.5, 0.9, 1.0]");
            case "one threshold":
                return Restore("[0.25]", "[0.4]");
            default:
                return Restore("[0.25, 0.75]", "[0.2, 0.6]");
        }
    }

    private static string Json(double[] values) => System.Text.Json.JsonSerializer.Serialize(values);

    private static IsotonicCalibrator Restore(string thresholds, string values) =>
        (IsotonicCalibrator)CalibratorSerializer.Deserialize(
            $$"""{"format":"selflearning.calibrator","version":1,"method":"isotonic","thresholds":{{thresholds}},"values":{{values}}}""");

    /// <summary>numpy.interp (numpy/core/src/multiarray/compiled_base.c) for one point inside [xp[0], xp[^1]], by plain binary search.</summary>
    private static double NumpyInterp(double x, double[] xp, double[] fp)
    {
        int lo = 0, hi = xp.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (xp[mid] <= x)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (lo == xp.Length - 1 || xp[lo] == x)
        {
            return fp[lo];
        }

        double slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
        return (slope * (x - xp[lo])) + fp[lo];
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
