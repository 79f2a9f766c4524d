using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

/// <summary>Properties every calibrator must have, checked on one fitted calibrator of each method.</summary>
public sealed class ICalibratorTests
{
    public static TheoryData<CalibrationMethod> Methods => CalibratorTestData.Methods();

    [Theory]
    [MemberData(nameof(Methods))]
    public void Calibrate_AnyScoreInDomain_MapsIntoUnitInterval(CalibrationMethod method)
    {
        var (calibrator, probe) = CalibratorTestData.Fitted(method);
        foreach (double score in probe)
        {
            calibrator.Calibrate(score).Should().BeInRange(0.0, 1.0, $"score {score}");
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void CalibrateBatch_SameScores_EqualsScalarBitForBit(CalibrationMethod method)
    {
        var (calibrator, probe) = CalibratorTestData.Fitted(method);
        var batch = new double[probe.Length];
        calibrator.Calibrate(probe, batch);
        for (int i = 0; i < probe.Length; i++)
        {
            batch[i].Should().Be(calibrator.Calibrate(probe[i]), $"element {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void CalibrateBatch_Warm_AllocatesNothing(CalibrationMethod method)
    {
        var (calibrator, probe) = CalibratorTestData.Fitted(method);
        var destination = new double[probe.Length];
        calibrator.Calibrate(probe, destination);

        long before = GC.GetAllocatedBytesForCurrentThread();
        calibrator.Calibrate(probe, destination);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void CalibrateBatch_NaNAtIndex_ThrowsNamingScoresAndIndex(CalibrationMethod method)
    {
        var (calibrator, probe) = CalibratorTestData.Fitted(method);
        double[] scores = [probe[0], probe[1], double.NaN, probe[2]];
        var act = () => calibrator.Calibrate(scores, new double[4]);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "scores" && e.Message.Contains("element 2") && e.Message.Contains("NaN"));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void CalibrateBatch_InfiniteScore_ThrowsNamingScores(CalibrationMethod method)
    {
        var (calibrator, probe) = CalibratorTestData.Fitted(method);
        double[] scores = [probe[0], double.PositiveInfinity];
        var act = () => calibrator.Calibrate(scores, new double[2]);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "scores" && e.Message.Contains("element 1"));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Calibrate_NaN_ThrowsNamingScore(CalibrationMethod method)
    {
        var (calibrator, _) = CalibratorTestData.Fitted(method);
        var act = () => calibrator.Calibrate(double.NaN);
        act.Should().Throw<ArgumentException>().WithParameterName("score");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void CalibrateBatch_DestinationShorter_ThrowsNamingDestination(CalibrationMethod method)
    {
        var (calibrator, probe) = CalibratorTestData.Fitted(method);
        var act = () => calibrator.Calibrate(probe, new double[probe.Length - 1]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage($"*{probe.Length - 1}*{probe.Length}*");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Serialize_RoundTrip_GivesBitIdenticalOutputs(CalibrationMethod method)
    {
        var (calibrator, probe) = CalibratorTestData.Fitted(method);
        string json = CalibratorSerializer.Serialize(calibrator);

        ICalibrator restored = CalibratorSerializer.Deserialize(json);

        restored.Method.Should().Be(method);
        restored.Should().BeOfType(calibrator.GetType());
        var expected = new double[probe.Length];
        var actual = new double[probe.Length];
        calibrator.Calibrate(probe, expected);
        restored.Calibrate(probe, actual);
        actual.Should().Equal(expected);
        CalibratorSerializer.Serialize(restored).Should().Be(json);
    }

    /// <summary>Every method but temperature scaling, whose one parameter is well defined with one class.</summary>
    public static TheoryData<CalibrationMethod> MethodsNeedingBothClasses =>
        [.. Enum.GetValues<CalibrationMethod>().Where(m => m != CalibrationMethod.Temperature)];

    [Theory]
    [MemberData(nameof(MethodsNeedingBothClasses))]
    public void Fit_OneClassOnly_ThrowsNamingLabels(CalibrationMethod method)
    {
        var (scores, _) = CalibratorTestData.Probabilities(20);
        var labels = new bool[20];
        var act = () => CalibratorSelector.FitMethod(method, scores, labels, bins: 5);

        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*only negative*");
    }

    [Fact]
    public void Fit_TemperatureOneClassOnly_FitsATemperatureNoWorseThanNoneOnThoseCases()
    {
        // One temperature is well defined with one class, so the fit is allowed; it minimises the log loss over the
        // temperature, and T = 1 (the scores unchanged) is one of the candidates, so it can only do as well or better.
        var (scores, _) = CalibratorTestData.Probabilities(20);
        var labels = new bool[20];

        ICalibrator calibrator = CalibratorSelector.FitMethod(CalibrationMethod.Temperature, scores, labels, bins: 5);
        var calibrated = new double[scores.Length];
        calibrator.Calibrate(scores, calibrated);

        calibrated.Should().OnlyContain(p => p >= 0.0 && p <= 1.0 && double.IsFinite(p));
        SelfLearning.Evaluation.CalibrationMetrics.LogLoss(calibrated, labels).Should()
            .BeLessThanOrEqualTo(SelfLearning.Evaluation.CalibrationMetrics.LogLoss(scores, labels) + 1e-12);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Fit_EmptyScores_ThrowsNamingScores(CalibrationMethod method)
    {
        var act = () => CalibratorSelector.FitMethod(method, [], [], bins: 5);
        act.Should().Throw<ArgumentException>().WithParameterName("scores");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Fit_LengthMismatch_ThrowsNamingLabels(CalibrationMethod method)
    {
        var act = () => CalibratorSelector.FitMethod(method, [0.1, 0.9, 0.4], [true, false], bins: 5);
        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*2*3*");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Fit_NaNScore_ThrowsNamingScoresAndIndex(CalibrationMethod method)
    {
        var act = () => CalibratorSelector.FitMethod(method, [0.1, 0.9, double.NaN], [true, false, true], bins: 5);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "scores" && e.Message.Contains("element 2"));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Fit_InfiniteScore_ThrowsNamingScoresAndIndex(CalibrationMethod method)
    {
        var act = () => CalibratorSelector.FitMethod(method, [double.NegativeInfinity, 0.9, 0.2], [true, false, true], bins: 5);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "scores" && e.Message.Contains("element 0"));
    }
}
