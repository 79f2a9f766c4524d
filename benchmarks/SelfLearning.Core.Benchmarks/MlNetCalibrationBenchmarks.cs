using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using SelfLearning.Calibration;
using SelfLearning.Evaluation;

namespace SelfLearning.Benchmarks;

/// <summary>
/// ML.NET's own calibrators (<c>BinaryClassification.Calibrators.Platt()</c>, <c>.Isotonic()</c>) against the library's
/// <see cref="PlattCalibrator"/> and <see cref="IsotonicCalibrator"/>, fitted on the same 1M scores (Platt on raw margins,
/// isotonic on probabilities, from <see cref="BenchmarkData"/>). ML.NET's data view is built once in the setup, so only
/// the fit is timed. The quality of each fit (ECE, log loss) is printed by <c>--mlnet-calibration-quality</c>.
/// </summary>
[MemoryDiagnoser]
public class MlNetCalibrationBenchmarks
{
    private const int Count = 1_000_000;
    private double[] _margins = [];
    private bool[] _marginLabels = [];
    private double[] _probabilities = [];
    private bool[] _probabilityLabels = [];
    private MLContext _ml = null!;
    private IDataView _marginView = null!;
    private IDataView _probabilityView = null!;

    /// <summary>Builds the scores and ML.NET's views of them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_margins, _marginLabels, _probabilities, _probabilityLabels) = Data();
        _ml = new MLContext(seed: 1);
        _marginView = View(_ml, _margins, _marginLabels);
        _probabilityView = View(_ml, _probabilities, _probabilityLabels);
    }

    /// <summary>The library's Platt fit on the margins.</summary>
    [Benchmark(Baseline = true)]
    public double PlattFit() => PlattCalibrator.Fit(_margins, _marginLabels).A;

    /// <summary>ML.NET's Platt calibrator fitted on the same margins.</summary>
    [Benchmark]
    public object MlNetPlattFit() => _ml.BinaryClassification.Calibrators.Platt().Fit(_marginView);

    /// <summary>The library's isotonic fit on the probabilities.</summary>
    [Benchmark]
    public int IsotonicFit() => IsotonicCalibrator.Fit(_probabilities, _probabilityLabels).Thresholds.Length;

    /// <summary>ML.NET's isotonic (pool-adjacent-violators) calibrator fitted on the same probabilities.</summary>
    [Benchmark]
    public object MlNetIsotonicFit() => _ml.BinaryClassification.Calibrators.Isotonic().Fit(_probabilityView);

    /// <summary>Fits each calibrator once and prints the in-sample ECE (15 bins) and log loss of what it gives.</summary>
    /// <param name="output">Where to write the table.</param>
    public static void WriteQuality(TextWriter output)
    {
        var (margins, marginLabels, probabilities, probabilityLabels) = Data();
        var ml = new MLContext(seed: 1);
        var marginView = View(ml, margins, marginLabels);
        var probabilityView = View(ml, probabilities, probabilityLabels);

        var platt = PlattCalibrator.Fit(margins, marginLabels);
        var ours = new double[Count];
        platt.Calibrate(margins, ours);
        Write(output, "PlattCalibrator", ours, marginLabels);
        Write(output, "ML.NET Platt", Probabilities(ml.BinaryClassification.Calibrators.Platt().Fit(marginView).Transform(marginView)), marginLabels);

        var isotonic = IsotonicCalibrator.Fit(probabilities, probabilityLabels);
        isotonic.Calibrate(probabilities, ours);
        Write(output, "IsotonicCalibrator", ours, probabilityLabels);
        Write(output, "ML.NET Isotonic", Probabilities(ml.BinaryClassification.Calibrators.Isotonic().Fit(probabilityView).Transform(probabilityView)), probabilityLabels);
    }

    private static (double[], bool[], double[], bool[]) Data()
    {
        var (margins, marginLabels) = BenchmarkData.Margins(Count);
        var (probabilities, probabilityLabels) = BenchmarkData.Probabilities(Count);
        return (margins, marginLabels, probabilities, probabilityLabels);
    }

    private static IDataView View(MLContext ml, double[] scores, bool[] labels) =>
        ml.Data.LoadFromEnumerable(scores.Select((s, i) => new ScoredRow { Score = (float)s, Label = labels[i] }).ToArray());

    private static double[] Probabilities(IDataView scored) =>
        [.. scored.GetColumn<float>("Probability").Select(p => (double)p)];

    private static void Write(TextWriter output, string name, double[] probability, bool[] labels)
    {
        var clamped = probability.Select(p => Math.Clamp(p, 1e-15, 1 - 1e-15)).ToArray();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-20} ECE {CalibrationMetrics.ExpectedCalibrationError(probability, labels):F5}  log loss {CalibrationMetrics.LogLoss(clamped, labels):F5}"));
    }

    /// <summary>A score and its label, ML.NET's calibrator input.</summary>
    public sealed class ScoredRow
    {
        /// <summary>Gets or sets the score.</summary>
        public float Score { get; set; }

        /// <summary>Gets or sets the label.</summary>
        public bool Label { get; set; }
    }
}
