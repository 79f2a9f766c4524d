using BenchmarkDotNet.Attributes;
using SelfLearning.Calibration;

namespace SelfLearning.Benchmarks;

/// <summary>
/// Calibrator fitting and batch inference on <see cref="BenchmarkData"/>, the inputs
/// benchmarks/reference/compare_with_sklearn.py times scikit-learn on. One core, no parallelism.
/// </summary>
[MemoryDiagnoser]
public class CalibrationBenchmarks
{
    private double[] _margins = [];
    private bool[] _marginLabels = [];
    private double[] _probabilities = [];
    private bool[] _probabilityLabels = [];
    private double[] _destination = [];
    private PlattCalibrator _platt = null!;
    private IsotonicCalibrator _isotonic = null!;

    /// <summary>Gets or sets the number of cases.</summary>
    [Params(10_000, 1_000_000)]
    public int N { get; set; }

    /// <summary>Builds the data and the fitted calibrators the inference benchmarks use.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_margins, _marginLabels) = BenchmarkData.Margins(N);
        (_probabilities, _probabilityLabels) = BenchmarkData.Probabilities(N);
        _destination = new double[N];
        _platt = PlattCalibrator.Fit(_margins, _marginLabels);
        _isotonic = IsotonicCalibrator.Fit(_probabilities, _probabilityLabels);
    }

    /// <summary>Platt fit on raw margins (scikit-learn: <c>_sigmoid_calibration</c>).</summary>
    [Benchmark(Baseline = true)]
    public double PlattFit() => PlattCalibrator.Fit(_margins, _marginLabels).A;

    /// <summary>Isotonic fit on probabilities (scikit-learn: <c>IsotonicRegression(out_of_bounds="clip").fit</c>).</summary>
    [Benchmark]
    public int IsotonicFit() => IsotonicCalibrator.Fit(_probabilities, _probabilityLabels).Thresholds.Length;

    /// <summary>Platt batch calibration of raw margins.</summary>
    [Benchmark]
    public void PlattCalibrateBatch() => _platt.Calibrate(_margins, _destination);

    /// <summary>Isotonic batch calibration of probabilities (scikit-learn: <c>IsotonicRegression.predict</c>).</summary>
    [Benchmark]
    public void IsotonicCalibrateBatch() => _isotonic.Calibrate(_probabilities, _destination);
}
