using BenchmarkDotNet.Attributes;
using SelfLearning.Training;

namespace SelfLearning.Benchmarks;

/// <summary>Fit time of the built-in trainers on the shared benchmark margins (one feature, binary labels).</summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private TrainingData _classification = null!;
    private TrainingData _regression = null!;
    private TrainingData _clustering = null!;

    /// <summary>Rows in the training split.</summary>
    [Params(1_000, 10_000)]
    public int Count { get; set; }

    /// <summary>Builds the tables from <see cref="BenchmarkData.Margins"/>.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (margins, labels) = BenchmarkData.Margins(Count);
        var x = new double[Count, 2];
        var targets = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            x[i, 0] = margins[i];
            x[i, 1] = margins[(i * 7919) % Count];
            targets[i] = (3 * margins[i]) + (labels[i] ? 1 : 0);
        }

        var names = labels.Select(l => l ? "1" : "0").ToArray();
        var classification = TrainingTable.ForClassification(x, names);
        _classification = new TrainingData(classification, classification);
        var regression = TrainingTable.ForRegression(x, targets);
        _regression = new TrainingData(regression, regression);
        var clustering = TrainingTable.ForClustering(x);
        _clustering = new TrainingData(clustering, TrainingTable.ForClustering(new double[,] { { 0, 0 }, { 1, 1 }, { -3, 3 }, { 3, -3 } }));
    }

    /// <summary>Logistic regression (Newton with Cholesky solves).</summary>
    [Benchmark(Baseline = true)]
    public Task<TrainingResult> LogisticRegression() =>
        new LogisticRegressionTrainer().TrainAsync(new TrainingContext(_classification, TrainingParameters.Empty, 0), CancellationToken.None);

    /// <summary>Ridge regression (closed form).</summary>
    [Benchmark]
    public Task<TrainingResult> RidgeRegression() =>
        new RidgeRegressionTrainer().TrainAsync(new TrainingContext(_regression, TrainingParameters.Empty, 0), CancellationToken.None);

    /// <summary>k-means, k = 3, one restart.</summary>
    [Benchmark]
    public Task<TrainingResult> KMeans() =>
        new KMeansTrainer().TrainAsync(
            new TrainingContext(_clustering, TrainingParameters.Empty.With(KMeansTrainer.RestartsParameter, 1), 0), CancellationToken.None);
}
