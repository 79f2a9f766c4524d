using BenchmarkDotNet.Attributes;
using SelfLearning.Training;

namespace SelfLearning.Benchmarks;

/// <summary>
/// The issue-19 comparison with scikit-learn: each trainer on 1,000,000 rows of <see cref="TrainingBenchmarkData"/>
/// (the same tables <c>benchmarks/reference/benchmark_data.py</c> makes), a 1,000-row validation split.
/// </summary>
[MemoryDiagnoser]
public class TrainerScaleBenchmarks
{
    private TrainingData _classification = null!;
    private TrainingData _multiclass = null!;
    private TrainingData _regression = null!;
    private TrainingData _clustering = null!;
    private TrainingParameters _kmeans = null!;

    /// <summary>Rows in the training split.</summary>
    [Params(1_000_000)]
    public int Count { get; set; }

    /// <summary>Builds the tables.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (cx, cy) = TrainingBenchmarkData.Classification(Count, 20);
        var (vcx, vcy) = TrainingBenchmarkData.Classification(1_000, 20);
        _classification = new TrainingData(TrainingTable.ForClassification(cx, cy), TrainingTable.ForClassification(vcx, vcy));
        var (mx, my) = TrainingBenchmarkData.Multiclass(Count, 20, 4);
        var (vmx, vmy) = TrainingBenchmarkData.Multiclass(1_000, 20, 4);
        _multiclass = new TrainingData(TrainingTable.ForClassification(mx, my), TrainingTable.ForClassification(vmx, vmy));
        var (rx, ry) = TrainingBenchmarkData.Regression(Count, 20);
        var (vrx, vry) = TrainingBenchmarkData.Regression(1_000, 20);
        _regression = new TrainingData(TrainingTable.ForRegression(rx, ry), TrainingTable.ForRegression(vrx, vry));
        var kx = TrainingBenchmarkData.Clustering(Count, 8, 8);
        _clustering = new TrainingData(TrainingTable.ForClustering(kx), TrainingTable.ForClustering(TrainingBenchmarkData.Clustering(1_000, 8, 8)));
        _kmeans = TrainingParameters.Empty
            .With(KMeansTrainer.InitialCentersParameter, TrainingBenchmarkData.FirstRows(kx, 8))
            .With(KMeansTrainer.MaxIterationsParameter, 20);
    }

    /// <summary>Logistic regression, 1M × 20, λ = 1 (scikit-learn: <c>LogisticRegression(solver="lbfgs", C=1)</c>).</summary>
    [Benchmark(Baseline = true)]
    public Task<TrainingResult> LogisticRegression() =>
        new LogisticRegressionTrainer().TrainAsync(new TrainingContext(_classification, TrainingParameters.Empty, 0), CancellationToken.None);

    /// <summary>Softmax regression, 1M × 20, 4 classes, λ = 1 (scikit-learn: <c>LogisticRegression(solver="lbfgs", C=1)</c>, multinomial).</summary>
    [Benchmark]
    public Task<TrainingResult> SoftmaxRegression() =>
        new SoftmaxRegressionTrainer().TrainAsync(new TrainingContext(_multiclass, TrainingParameters.Empty, 0), CancellationToken.None);

    /// <summary>Ridge regression, 1M × 20, α = 1 (scikit-learn: <c>Ridge(alpha=1)</c>).</summary>
    [Benchmark]
    public Task<TrainingResult> RidgeRegression() =>
        new RidgeRegressionTrainer().TrainAsync(new TrainingContext(_regression, TrainingParameters.Empty, 0), CancellationToken.None);

    /// <summary>k-means, k = 8, 1M × 8, the first eight rows as initial centres, 20 Lloyd iterations.</summary>
    [Benchmark]
    public Task<TrainingResult> KMeans() =>
        new KMeansTrainer().TrainAsync(new TrainingContext(_clustering, _kmeans, 0), CancellationToken.None);
}
