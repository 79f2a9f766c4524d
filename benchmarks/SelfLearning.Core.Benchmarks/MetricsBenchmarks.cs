using BenchmarkDotNet.Attributes;
using SelfLearning.Evaluation;

namespace SelfLearning.Benchmarks;

/// <summary>
/// ECE (15 equal-width bins) and the Brier score on <see cref="BenchmarkData.Probabilities"/>, the inputs
/// benchmarks/reference/compare_with_sklearn.py times scikit-learn's <c>calibration_curve</c> +
/// <c>brier_score_loss</c> on.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private double[] _probabilities = [];
    private bool[] _labels = [];

    /// <summary>Gets or sets the number of cases.</summary>
    [Params(10_000, 1_000_000)]
    public int Count { get; set; }

    /// <summary>Creates the data.</summary>
    [GlobalSetup]
    public void Setup() => (_probabilities, _labels) = BenchmarkData.Probabilities(Count);

    /// <summary>ECE and Brier together: the pair compared against scikit-learn.</summary>
    [Benchmark(Baseline = true)]
    public double EceAndBrier() =>
        CalibrationMetrics.ExpectedCalibrationError(_probabilities, _labels, 15)
        + CalibrationMetrics.BrierScore(_probabilities, _labels);

    /// <summary>ECE with 15 equal-width bins.</summary>
    [Benchmark]
    public double ExpectedCalibrationError() => CalibrationMetrics.ExpectedCalibrationError(_probabilities, _labels, 15);

    /// <summary>The Brier score.</summary>
    [Benchmark]
    public double BrierScore() => CalibrationMetrics.BrierScore(_probabilities, _labels);
}
