using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

public sealed class HistogramBinningCalibratorTests
{
    public static TheoryData<string> Cases => CalibrationReference.Names("histogram");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_ReferenceData_MatchesNumpyBinMeans(string name)
    {
        var c = CalibrationReference.Case("histogram", name);

        var histogram = HistogramBinningCalibrator.Fit(c.Doubles("scores"), c.Bools("labels"), c.GetProperty("bins").GetInt32());

        histogram.Values.ToArray().ShouldAgreeWith(c.Doubles("values"), "bin values");
        double[] probe = c.Doubles("probe");
        var predicted = new double[probe.Length];
        histogram.Calibrate(probe, predicted);
        predicted.ShouldAgreeWith(c.Doubles("probe_predictions"), "probe predictions");
    }

    [Fact]
    public void Fit_EmptyBin_KeepsItsMidpoint()
    {
        double[] scores = [0.05, 0.1, 0.95, 0.9];
        bool[] labels = [false, true, true, true];

        var histogram = HistogramBinningCalibrator.Fit(scores, labels, 4);

        histogram.Values.ToArray().Should().Equal(0.5, 0.375, 0.625, 1.0);
        histogram.Counts.ToArray().Should().Equal(2, 0, 0, 2);
    }

    [Fact]
    public void Calibrate_One_FallsInLastBin()
    {
        var histogram = HistogramBinningCalibrator.Fit([0.1, 0.95], [false, true], 10);
        histogram.Calibrate(1.0).Should().Be(1.0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Fit_NonPositiveBins_ThrowsNamingBins(int bins)
    {
        var act = () => HistogramBinningCalibrator.Fit([0.1, 0.9], [false, true], bins);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "bins" && e.Message.Contains(bins.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Calibrate_ScoreAboveOne_ThrowsNamingScore()
    {
        var histogram = HistogramBinningCalibrator.Fit([0.1, 0.9], [false, true], 2);
        var act = () => histogram.Calibrate(1.5);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("score");
    }
}
