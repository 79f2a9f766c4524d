using System.Text.Json.Nodes;
using SelfLearning.Evaluation;
using SelfLearning.Tests.Statistics;

namespace SelfLearning.Tests.Evaluation;

public sealed class CalibrationMetricsTests
{
    private static readonly JsonNode Reference = ReferenceFile.Load("evaluation.json");

    [Fact]
    public void BrierAndLogLoss_ReferenceShapes_MatchScikitLearn()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "binary"))
        {
            double[] p = ReferenceFile.Doubles(c!["probability"]);
            bool[] y = ReferenceFile.Bools(c["label"]);
            string shape = c["shape"]!.GetValue<string>();
            ReferenceFile.ShouldMatch(CalibrationMetrics.BrierScore(p, y), ReferenceFile.Double(c["brier"]), shape);
            ReferenceFile.ShouldMatch(CalibrationMetrics.LogLoss(p, y), ReferenceFile.Double(c["logLoss"]), shape);
        }
    }

    [Fact]
    public void BrierDecomposition_ReferenceShapes_MatchNumpyAndHoldIdentity()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "binary"))
        {
            double[] p = ReferenceFile.Doubles(c!["probability"]);
            bool[] y = ReferenceFile.Bools(c["label"]);
            string shape = c["shape"]!.GetValue<string>();
            var d = CalibrationMetrics.BrierDecomposition(p, y);
            ReferenceFile.ShouldMatch(d.Reliability, ReferenceFile.Double(c["reliability"]), shape);
            ReferenceFile.ShouldMatch(d.Resolution, ReferenceFile.Double(c["resolution"]), shape);
            ReferenceFile.ShouldMatch(d.Uncertainty, ReferenceFile.Double(c["uncertainty"]), shape);
            (d.Reliability - d.Resolution + d.Uncertainty).Should().BeApproximately(d.Score, 1e-12, shape);
        }
    }

    [Fact]
    public void BrierDecomposition_DiscreteForecasts_IdentityIsExactToRounding()
    {
        var random = new Random(3);
        double[] p = Enumerable.Range(0, 5000).Select(_ => random.Next(0, 11) / 10.0).ToArray();
        bool[] y = p.Select(v => random.NextDouble() < (v * 0.8) + 0.1).ToArray();
        var d = CalibrationMetrics.BrierDecomposition(p, y);
        (d.Reliability - d.Resolution + d.Uncertainty).Should().BeApproximately(d.Score, 1e-14);
        d.Reliability.Should().BeGreaterThan(0.0);
        d.Resolution.Should().BeGreaterThan(0.0);
    }

    [Fact]
    public void ExpectedAndMaximumCalibrationError_ReferenceShapes_MatchNumpy()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "binary"))
        {
            double[] p = ReferenceFile.Doubles(c!["probability"]);
            bool[] y = ReferenceFile.Bools(c["label"]);
            foreach (int bins in new[] { 5, 10, 15 })
            {
                string because = $"{c["shape"]} M={bins}";
                ReferenceFile.ShouldMatch(CalibrationMetrics.ExpectedCalibrationError(p, y, bins), ReferenceFile.Double(c[$"eceWidth{bins}"]), because);
                ReferenceFile.ShouldMatch(CalibrationMetrics.MaximumCalibrationError(p, y, bins), ReferenceFile.Double(c[$"mceWidth{bins}"]), because);
                ReferenceFile.ShouldMatch(
                    CalibrationMetrics.ExpectedCalibrationError(p, y, bins, BinningStrategy.EqualMass), ReferenceFile.Double(c[$"eceMass{bins}"]), because);
                ReferenceFile.ShouldMatch(
                    CalibrationMetrics.MaximumCalibrationError(p, y, bins, BinningStrategy.EqualMass), ReferenceFile.Double(c[$"mceMass{bins}"]), because);
            }
        }
    }

    [Fact]
    public void ReliabilityCurve_ReferenceShapes_MatchCalibrationCurve()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "binary"))
        {
            double[] p = ReferenceFile.Doubles(c!["probability"]);
            bool[] y = ReferenceFile.Bools(c["label"]);
            foreach (int bins in new[] { 5, 10, 15 })
            {
                foreach (var (strategy, name) in new[] { (BinningStrategy.EqualWidth, "Width"), (BinningStrategy.EqualMass, "Mass") })
                {
                    string because = $"{c["shape"]} {strategy} M={bins}";
                    var curve = CalibrationMetrics.ReliabilityCurve(p, y, bins, strategy);
                    double[] observed = ReferenceFile.Doubles(c[$"curve{name}{bins}"]!["observed"]);
                    double[] mean = ReferenceFile.Doubles(c[$"curve{name}{bins}"]!["mean"]);
                    curve.Should().HaveCount(observed.Length, because);
                    for (int b = 0; b < observed.Length; b++)
                    {
                        ReferenceFile.ShouldMatch(curve[b].ObservedFrequency, observed[b], because);
                        ReferenceFile.ShouldMatch(curve[b].MeanConfidence, mean[b], because);
                    }

                    curve.Sum(bin => bin.Count).Should().Be(p.Length, because);
                }
            }
        }
    }

    [Fact]
    public void ExpectedCalibrationError_PerfectlyCalibratedBinnedForecast_IsZero()
    {
        // In each of 10 bins, forecast (b + 0.5)/10 for 20 cases of which exactly that share is correct.
        var confidence = new List<double>();
        var correct = new List<bool>();
        for (int b = 0; b < 10; b++)
        {
            for (int i = 0; i < 20; i++)
            {
                confidence.Add((b + 0.5) / 10.0);
                correct.Add(i < (b + 0.5) * 2.0);
            }
        }

        CalibrationMetrics.ExpectedCalibrationError(confidence.ToArray(), correct.ToArray(), 10).Should().BeApproximately(0.0, 1e-15);
        CalibrationMetrics.MaximumCalibrationError(confidence.ToArray(), correct.ToArray(), 10).Should().BeApproximately(0.0, 1e-15);
    }

    [Fact]
    public void ExpectedCalibrationError_ConfidenceOnInnerEdge_GoesToBinAbove()
    {
        // p = 0.5 with M = 2 belongs to bin 1 (⌊0.5·2⌋ = 1) with the 0.9 case: bin 1 has conf 0.7, acc 1.
        double ece = CalibrationMetrics.ExpectedCalibrationError([0.1, 0.5, 0.9], [false, true, true], bins: 2);
        ece.Should().BeApproximately((1.0 / 3.0 * 0.1) + (2.0 / 3.0 * 0.3), 1e-15);
    }

    [Fact]
    public void ClasswiseExpectedCalibrationError_ReferenceShapes_MatchNumpy()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "classwise"))
        {
            var rows = c!["probabilities"]!.AsArray().Select(ReferenceFile.Doubles).ToArray();
            var matrix = new double[rows.Length, rows[0].Length];
            for (int i = 0; i < rows.Length; i++)
            {
                for (int k = 0; k < rows[i].Length; k++)
                {
                    matrix[i, k] = rows[i][k];
                }
            }

            int[] labels = ReferenceFile.Longs(c["labels"]).Select(v => (int)v).ToArray();
            ReferenceFile.ShouldMatch(
                CalibrationMetrics.ClasswiseExpectedCalibrationError(matrix, labels),
                ReferenceFile.Double(c["classwiseEce"]),
                c["shape"]!.GetValue<string>());
        }
    }

    [Fact]
    public void HotPathMetrics_AfterWarmUp_AllocateNothing()
    {
        var random = new Random(11);
        double[] p = Enumerable.Range(0, 10_000).Select(_ => random.NextDouble()).ToArray();
        bool[] y = p.Select(v => random.NextDouble() < v).ToArray();
        double sink = Run(p, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        sink += Run(p, y);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        sink.Should().BeGreaterThan(0.0);

        static double Run(double[] p, bool[] y) =>
            CalibrationMetrics.ExpectedCalibrationError(p, y)
            + CalibrationMetrics.MaximumCalibrationError(p, y)
            + CalibrationMetrics.ExpectedCalibrationError(p, y, bins: 500)
            + CalibrationMetrics.BrierScore(p, y)
            + CalibrationMetrics.LogLoss(p, y);
    }

    [Fact]
    public void Metrics_BadInput_NameTheArgument()
    {
        FluentActions.Invoking(() => CalibrationMetrics.ExpectedCalibrationError([0.2, 1.2], [true, false]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("confidence").WithMessage("*element 1*1.2*");
        FluentActions.Invoking(() => CalibrationMetrics.ExpectedCalibrationError([0.2], [true, false]))
            .Should().Throw<ArgumentException>().WithParameterName("correct");
        FluentActions.Invoking(() => CalibrationMetrics.MaximumCalibrationError([0.2], [true], bins: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("bins");
        FluentActions.Invoking(() => CalibrationMetrics.BrierScore([double.NaN], [true]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability").WithMessage("*NaN*");
        FluentActions.Invoking(() => CalibrationMetrics.LogLoss([], []))
            .Should().Throw<ArgumentException>().WithParameterName("probability");
        FluentActions.Invoking(() => CalibrationMetrics.BrierDecomposition([0.5, double.PositiveInfinity], [true, false]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability");
        FluentActions.Invoking(() => CalibrationMetrics.ReliabilityCurve([0.5, -0.1], [true, false]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability").WithMessage("*element 1*");
        FluentActions.Invoking(() => CalibrationMetrics.ClasswiseExpectedCalibrationError(new double[,] { { 0.5, 0.5 } }, [2]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("labels").WithMessage("*element 0 is 2*");
        FluentActions.Invoking(() => CalibrationMetrics.ClasswiseExpectedCalibrationError(new double[,] { { 0.5, double.NaN } }, [0]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probabilities").WithMessage("*[0, 1]*NaN*");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(128)]
    [InlineData(200)]
    public void EceMceBrier_LongOddInput_EqualPlainLoops(int bins)
    {
        // 1,001 cases: the vectorised groups of four and eight plus a scalar tail; 200 bins take the pooled path.
        var random = new Random(bins);
        var p = new double[1001];
        var y = new bool[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = i % 97 == 0 ? (i % 2 == 0 ? 0.0 : 1.0) : random.NextDouble();
            y[i] = random.NextDouble() < p[i];
        }

        var count = new double[bins];
        var confidenceSum = new double[bins];
        var correctSum = new double[bins];
        double squares = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            int b = Math.Min((int)(p[i] * bins), bins - 1);
            count[b]++;
            confidenceSum[b] += p[i];
            correctSum[b] += y[i] ? 1.0 : 0.0;
            squares += (p[i] - (y[i] ? 1.0 : 0.0)) * (p[i] - (y[i] ? 1.0 : 0.0));
        }

        double ece = 0.0, mce = 0.0;
        for (int b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                ece += Math.Abs(correctSum[b] - confidenceSum[b]) / p.Length;
                mce = Math.Max(mce, Math.Abs((correctSum[b] - confidenceSum[b]) / count[b]));
            }
        }

        CalibrationMetrics.ExpectedCalibrationError(p, y, bins).Should().BeApproximately(ece, 1e-12 * Math.Max(ece, 1e-3));
        CalibrationMetrics.MaximumCalibrationError(p, y, bins).Should().BeApproximately(mce, 1e-12);
        CalibrationMetrics.BrierScore(p, y).Should().BeApproximately(squares / p.Length, 1e-14);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1.0000000000000002, "1.0000000000000002")]
    [InlineData(-5e-324, "-5E-324")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void EceMceBrier_BadValueInsideVectorisedPart_ThrowNamingIndex(double bad, string shown)
    {
        double[] p = Enumerable.Range(0, 37).Select(i => i / 37.0).ToArray();
        bool[] y = p.Select(v => v > 0.5).ToArray();
        p[21] = bad;

        FluentActions.Invoking(() => CalibrationMetrics.ExpectedCalibrationError(p, y))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("confidence").WithMessage($"*element 21 is {shown}*");
        FluentActions.Invoking(() => CalibrationMetrics.MaximumCalibrationError(p, y))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("confidence").WithMessage($"*element 21 is {shown}*");
        FluentActions.Invoking(() => CalibrationMetrics.BrierScore(p, y))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability").WithMessage($"*element 21 is {shown}*");
    }
}
