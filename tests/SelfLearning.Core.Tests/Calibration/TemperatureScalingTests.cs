using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

public sealed class TemperatureScalingTests
{
    public static TheoryData<string> Cases => CalibrationReference.Names("temperature");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_ReferenceData_MatchesScipyBoundedMinimum(string name)
    {
        var c = CalibrationReference.Case("temperature", name);
        int[] labels = c.Ints("labels");

        TemperatureScaling scaling = c.IsNull("logits")
            ? TemperatureScaling.FitBinary(c.Doubles("binary_scores"), labels.Select(l => l == 1).ToArray())
            : TemperatureScaling.Fit(c.Matrix("logits"), labels);

        scaling.Report.Converged.Should().BeTrue();
        scaling.Temperature.ShouldAgreeWith(c.GetProperty("temperature").GetDouble(), "temperature");
    }

    [Fact]
    public void Fit_OptimumBeyondMaximum_StopsAtBoundAndSaysSo()
    {
        var c = CalibrationReference.Case("temperature", "multiclass_tiny");

        var scaling = TemperatureScaling.Fit(c.Matrix("logits"), c.Ints("labels"));

        scaling.AtBound.Should().BeTrue();
        scaling.Temperature.Should().Be(TemperatureScaling.MaxTemperature);
    }

    [Fact]
    public void CalibrateRow_Logits_IsSoftmaxOfScaledLogitsAndSumsToOne()
    {
        var scaling = TemperatureScaling.FromTemperature(2.0);
        double[] logits = [1.0, 3.0, -2.0];
        var probabilities = new double[3];

        scaling.CalibrateRow(logits, probabilities);

        double norm = Math.Exp(0.5) + Math.Exp(1.5) + Math.Exp(-1.0);
        probabilities[0].Should().BeApproximately(Math.Exp(0.5) / norm, 1e-15);
        probabilities[1].Should().BeApproximately(Math.Exp(1.5) / norm, 1e-15);
        probabilities.Sum().Should().BeApproximately(1.0, 1e-15);
    }

    [Fact]
    public void Calibrate_BinaryLogit_IsSigmoidOfScaledLogitAndAgreesWithRow()
    {
        var scaling = TemperatureScaling.FromTemperature(1.7);
        var row = new double[2];
        scaling.CalibrateRow([0.0, 2.3], row);

        scaling.Calibrate(2.3).Should().BeApproximately(1.0 / (1.0 + Math.Exp(-2.3 / 1.7)), 1e-15);
        scaling.Calibrate(2.3).Should().BeApproximately(row[1], 1e-15);
    }

    [Fact]
    public void Fit_LabelOutOfRange_ThrowsNamingLabelsAndIndex()
    {
        var logits = new double[,] { { 1.0, 0.0 }, { 0.0, 1.0 }, { 2.0, 1.0 } };
        var act = () => TemperatureScaling.Fit(logits, [0, 1, 2]);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "labels" && e.Message.Contains("element 2") && e.Message.Contains("is 2"));
    }

    [Fact]
    public void Fit_NegativeLabel_ThrowsNamingLabels()
    {
        var logits = new double[,] { { 1.0, 0.0 }, { 0.0, 1.0 } };
        var act = () => TemperatureScaling.Fit(logits, [0, -1]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("labels");
    }

    [Fact]
    public void Fit_NonFiniteLogit_ThrowsNamingLogitsAndPosition()
    {
        var logits = new double[,] { { 1.0, 0.0 }, { 0.0, double.NaN } };
        var act = () => TemperatureScaling.Fit(logits, [0, 1]);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "logits" && e.Message.Contains("[1, 1]"));
    }

    [Fact]
    public void Fit_RowCountDiffersFromLabels_ThrowsNamingLabels()
    {
        var act = () => TemperatureScaling.Fit(new double[,] { { 1.0, 0.0 } }, [0, 1]);
        act.Should().Throw<ArgumentException>().WithParameterName("labels");
    }

    [Fact]
    public void Fit_OneColumn_ThrowsNamingLogits()
    {
        var act = () => TemperatureScaling.Fit(new double[,] { { 1.0 }, { 2.0 } }, [0, 0]);
        act.Should().Throw<ArgumentException>().WithParameterName("logits");
    }

    [Fact]
    public void FromTemperature_Zero_ThrowsNamingTemperature()
    {
        var act = () => TemperatureScaling.FromTemperature(0.0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("temperature");
    }
}
