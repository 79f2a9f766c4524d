using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

/// <summary>Seeded data and one fitted calibrator of each method, for the property tests.</summary>
internal static class CalibratorTestData
{
    /// <summary>Margins uniform in [-4, 4) with labels drawn from sigmoid(1.5·s − 0.3).</summary>
    public static (double[] Scores, bool[] Labels) Margins(int count, int seed = 7, double scale = 1.0)
    {
        var random = new Random(seed);
        var scores = new double[count];
        var labels = new bool[count];
        for (int i = 0; i < count; i++)
        {
            double s = (random.NextDouble() * 8.0) - 4.0;
            scores[i] = s * scale;
            labels[i] = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-((1.5 * s) - 0.3)));
        }

        return (scores, labels);
    }

    /// <summary>The same cases as probabilities.</summary>
    public static (double[] Scores, bool[] Labels) Probabilities(int count, int seed = 7)
    {
        var (margins, labels) = Margins(count, seed);
        return (margins.Select(m => 1.0 / (1.0 + Math.Exp(-m))).ToArray(), labels);
    }

    /// <summary>One fitted calibrator per method, and scores in its domain to probe it with.</summary>
    public static IEnumerable<(ICalibrator Calibrator, double[] Probe)> FittedCalibrators()
    {
        var (margins, labels) = Margins(500);
        var (probabilities, probabilityLabels) = Probabilities(500);
        double[] marginProbe = [.. Margins(200, seed: 11).Scores, -1e3, 1e3, 0.0, -4.0, 4.0];
        double[] probabilityProbe = [.. Probabilities(200, seed: 11).Scores, 0.0, 1.0, 1e-300, 0.5];
        yield return (PlattCalibrator.Fit(margins, labels), marginProbe);
        yield return (IsotonicCalibrator.Fit(margins, labels), marginProbe);
        yield return (TemperatureScaling.FitBinary(margins, labels), marginProbe);
        yield return (HistogramBinningCalibrator.Fit(probabilities, probabilityLabels, 10), probabilityProbe);
        yield return (BetaCalibrator.Fit(probabilities, probabilityLabels), probabilityProbe);
    }

    public static TheoryData<CalibrationMethod> Methods()
    {
        var data = new TheoryData<CalibrationMethod>();
        foreach (CalibrationMethod method in Enum.GetValues<CalibrationMethod>())
        {
            data.Add(method);
        }

        return data;
    }

    public static (ICalibrator Calibrator, double[] Probe) Fitted(CalibrationMethod method) =>
        FittedCalibrators().Single(c => c.Calibrator.Method == method);
}
