using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using SelfLearning.Training;

namespace SelfLearning.ML;

/// <summary>
/// Ready ML.NET model types, one call each: binary (FastTree, LightGBM, SDCA logistic), multiclass (LightGBM, SDCA
/// maximum entropy), regression (FastTree, LightGBM, SDCA) and clustering (k-means). Each runs its trainer on one thread
/// so the same data, parameters and seed give a byte-identical artifact, and declares a small grid for the loop's
/// hyperparameter search. Register with <c>builder.AddMlNetModelType(MlNetModelTypes.FastTreeBinary())</c> and pick it in
/// <c>AddModel</c> by its key.
/// </summary>
public static class MlNetModelTypes
{
    /// <summary>The key of <see cref="FastTreeBinary"/>.</summary>
    public const string FastTreeBinaryKey = "mlnet-fasttree-binary";

    /// <summary>The key of <see cref="LightGbmBinary"/>.</summary>
    public const string LightGbmBinaryKey = "mlnet-lightgbm-binary";

    /// <summary>The key of <see cref="SdcaLogisticBinary"/>.</summary>
    public const string SdcaLogisticBinaryKey = "mlnet-sdca-logistic-binary";

    /// <summary>The key of <see cref="LightGbmMulticlass"/>.</summary>
    public const string LightGbmMulticlassKey = "mlnet-lightgbm-multiclass";

    /// <summary>The key of <see cref="SdcaMaximumEntropyMulticlass"/>.</summary>
    public const string SdcaMaximumEntropyMulticlassKey = "mlnet-sdca-maxent-multiclass";

    /// <summary>The key of <see cref="FastTreeRegression"/>.</summary>
    public const string FastTreeRegressionKey = "mlnet-fasttree-regression";

    /// <summary>The key of <see cref="LightGbmRegression"/>.</summary>
    public const string LightGbmRegressionKey = "mlnet-lightgbm-regression";

    /// <summary>The key of <see cref="SdcaRegression"/>.</summary>
    public const string SdcaRegressionKey = "mlnet-sdca-regression";

    /// <summary>The key of <see cref="KMeans"/>.</summary>
    public const string KMeansKey = "mlnet-kmeans";

    /// <summary>The number of trees (boosting iterations) parameter of the tree ensembles (default 100).</summary>
    public const string TreesParameter = "trees";

    /// <summary>The leaves per tree parameter of the tree ensembles (default 20).</summary>
    public const string LeavesParameter = "leaves";

    /// <summary>The learning rate parameter of the tree ensembles (default 0.2 for FastTree, 0.1 for LightGBM).</summary>
    public const string LearningRateParameter = "learning_rate";

    /// <summary>The minimum examples per leaf parameter of the tree ensembles (default 10).</summary>
    public const string MinimumLeafParameter = "min_leaf";

    /// <summary>The L2 regularisation parameter of the SDCA trainers (default 0.001).</summary>
    public const string L2Parameter = "l2";

    /// <summary>The iteration (epoch) limit parameter of the SDCA trainers and k-means (default 100).</summary>
    public const string MaxIterationsParameter = "max_iterations";

    /// <summary>The number of clusters parameter of k-means (default 3).</summary>
    public const string ClustersParameter = "k";

    private static readonly string[] Trees = [TreesParameter, LeavesParameter, LearningRateParameter, MinimumLeafParameter];
    private static readonly string[] Sdca = [L2Parameter, MaxIterationsParameter];

    /// <summary>Gets every ready model type, one trainer per key.</summary>
    /// <returns>The trainers.</returns>
    public static IReadOnlyList<MlNetTrainer> All() =>
    [
        FastTreeBinary(), LightGbmBinary(), SdcaLogisticBinary(), LightGbmMulticlass(), SdcaMaximumEntropyMulticlass(),
        FastTreeRegression(), LightGbmRegression(), SdcaRegression(), KMeans(),
    ];

    /// <summary>FastTree (boosted trees, ML.NET's Platt-calibrated output) for two classes.</summary>
    /// <returns>The trainer; its loader is <see cref="MlNetTrainer.CreateLoader"/>.</returns>
    public static MlNetTrainer FastTreeBinary() => new(
        FastTreeBinaryKey,
        TaskKind.BinaryClassification,
        (ml, p) => ml.BinaryClassification.Trainers.FastTree(Fill(new FastTreeBinaryTrainer.Options(), FastTreeBinaryKey, p)),
        TreeDefaults(0.2),
        TreeSpace(TrainingMetrics.LogLoss));

    /// <summary>LightGBM (boosted trees) for two classes.</summary>
    /// <returns>The trainer.</returns>
    public static MlNetTrainer LightGbmBinary() => new(
        LightGbmBinaryKey,
        TaskKind.BinaryClassification,
        (ml, p) => ml.BinaryClassification.Trainers.LightGbm(Fill(new LightGbmBinaryTrainer.Options(), LightGbmBinaryKey, p)),
        TreeDefaults(0.1),
        TreeSpace(TrainingMetrics.LogLoss));

    /// <summary>Logistic regression by stochastic dual coordinate ascent for two classes.</summary>
    /// <returns>The trainer.</returns>
    public static MlNetTrainer SdcaLogisticBinary() => new(
        SdcaLogisticBinaryKey,
        TaskKind.BinaryClassification,
        (ml, p) =>
        {
            p.EnsureOnly(SdcaLogisticBinaryKey, Sdca);
            return ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = (float)p.GetDouble(L2Parameter, 0.001),
                MaximumNumberOfIterations = p.GetInt32(MaxIterationsParameter, 100),
                NumberOfThreads = 1,
            });
        },
        SdcaDefaults(),
        SdcaSpace(TrainingMetrics.LogLoss));

    /// <summary>LightGBM (boosted trees, softmax) for three or more classes.</summary>
    /// <returns>The trainer.</returns>
    public static MlNetTrainer LightGbmMulticlass() => new(
        LightGbmMulticlassKey,
        TaskKind.MulticlassClassification,
        (ml, p) => ml.MulticlassClassification.Trainers.LightGbm(Fill(new LightGbmMulticlassTrainer.Options(), LightGbmMulticlassKey, p)),
        TreeDefaults(0.1),
        TreeSpace(TrainingMetrics.LogLoss));

    /// <summary>Maximum entropy (multinomial logistic) by stochastic dual coordinate ascent.</summary>
    /// <returns>The trainer.</returns>
    public static MlNetTrainer SdcaMaximumEntropyMulticlass() => new(
        SdcaMaximumEntropyMulticlassKey,
        TaskKind.MulticlassClassification,
        (ml, p) =>
        {
            p.EnsureOnly(SdcaMaximumEntropyMulticlassKey, Sdca);
            return ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = (float)p.GetDouble(L2Parameter, 0.001),
                MaximumNumberOfIterations = p.GetInt32(MaxIterationsParameter, 100),
                NumberOfThreads = 1,
            });
        },
        SdcaDefaults(),
        SdcaSpace(TrainingMetrics.LogLoss));

    /// <summary>FastTree (boosted trees) regression.</summary>
    /// <returns>The trainer.</returns>
    public static MlNetTrainer FastTreeRegression() => new(
        FastTreeRegressionKey,
        TaskKind.Regression,
        (ml, p) => ml.Regression.Trainers.FastTree(Fill(new FastTreeRegressionTrainer.Options(), FastTreeRegressionKey, p)),
        TreeDefaults(0.2),
        TreeSpace(TrainingMetrics.RootMeanSquaredError));

    /// <summary>LightGBM (boosted trees) regression.</summary>
    /// <returns>The trainer.</returns>
    public static MlNetTrainer LightGbmRegression() => new(
        LightGbmRegressionKey,
        TaskKind.Regression,
        (ml, p) => ml.Regression.Trainers.LightGbm(Fill(new LightGbmRegressionTrainer.Options(), LightGbmRegressionKey, p)),
        TreeDefaults(0.1),
        TreeSpace(TrainingMetrics.RootMeanSquaredError));

    /// <summary>Linear regression by stochastic dual coordinate ascent.</summary>
    /// <returns>The trainer.</returns>
    public static MlNetTrainer SdcaRegression() => new(
        SdcaRegressionKey,
        TaskKind.Regression,
        (ml, p) =>
        {
            p.EnsureOnly(SdcaRegressionKey, Sdca);
            return ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                L2Regularization = (float)p.GetDouble(L2Parameter, 0.001),
                MaximumNumberOfIterations = p.GetInt32(MaxIterationsParameter, 100),
                NumberOfThreads = 1,
            });
        },
        SdcaDefaults(),
        SdcaSpace(TrainingMetrics.RootMeanSquaredError));

    /// <summary>k-means (k-means++ initialisation, ML.NET's Yinyang iterations).</summary>
    /// <returns>The trainer.</returns>
    public static MlNetTrainer KMeans() => new(
        KMeansKey,
        TaskKind.Clustering,
        (ml, p) =>
        {
            p.EnsureOnly(KMeansKey, ClustersParameter, MaxIterationsParameter);
            return ml.Clustering.Trainers.KMeans(new Microsoft.ML.Trainers.KMeansTrainer.Options
            {
                NumberOfClusters = Positive(p.GetInt32(ClustersParameter, 3), ClustersParameter),
                MaximumNumberOfIterations = Positive(p.GetInt32(MaxIterationsParameter, 1000), MaxIterationsParameter),
                InitializationAlgorithm = Microsoft.ML.Trainers.KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
                NumberOfThreads = 1,
            });
        },
        TrainingParameters.Empty.With(ClustersParameter, 3).With(MaxIterationsParameter, 1000),
        new HyperparameterSpace(TrainingMetrics.Silhouette, MetricGoal.Maximize, folds: 3).With(ClustersParameter, 2, 3, 4, 5, 6));

    private static TrainingParameters TreeDefaults(double learningRate) => TrainingParameters.Empty
        .With(TreesParameter, 100).With(LeavesParameter, 20).With(LearningRateParameter, learningRate).With(MinimumLeafParameter, 10);

    private static TrainingParameters SdcaDefaults() => TrainingParameters.Empty.With(L2Parameter, 0.001).With(MaxIterationsParameter, 100);

    private static HyperparameterSpace TreeSpace(string metric) =>
        new HyperparameterSpace(metric, MetricGoal.Minimize, folds: 3).With(TreesParameter, 50, 100, 200).With(LeavesParameter, 8, 20);

    private static HyperparameterSpace SdcaSpace(string metric) =>
        new HyperparameterSpace(metric, MetricGoal.Minimize, folds: 3).With(L2Parameter, 1e-4, 1e-3, 1e-2, 1e-1);

    private static T Fill<T>(T options, string key, TrainingParameters p)
        where T : BoostedTreeOptions
    {
        p.EnsureOnly(key, Trees);
        options.NumberOfTrees = Positive(p.GetInt32(TreesParameter, 100), TreesParameter);
        options.NumberOfLeaves = Positive(p.GetInt32(LeavesParameter, 20), LeavesParameter);
        options.LearningRate = PositiveRate(p.GetDouble(LearningRateParameter, 0.2), LearningRateParameter);
        options.MinimumExampleCountPerLeaf = Positive(p.GetInt32(MinimumLeafParameter, 10), MinimumLeafParameter);
        options.NumberOfThreads = 1;
        return options;
    }

    private static LightGbmBinaryTrainer.Options Fill(LightGbmBinaryTrainer.Options options, string key, TrainingParameters p)
    {
        (options.NumberOfIterations, options.NumberOfLeaves, options.LearningRate, options.MinimumExampleCountPerLeaf) = LightGbm(key, p);
        options.NumberOfThreads = 1;
        return options;
    }

    private static LightGbmMulticlassTrainer.Options Fill(LightGbmMulticlassTrainer.Options options, string key, TrainingParameters p)
    {
        (options.NumberOfIterations, options.NumberOfLeaves, options.LearningRate, options.MinimumExampleCountPerLeaf) = LightGbm(key, p);
        options.NumberOfThreads = 1;
        return options;
    }

    private static LightGbmRegressionTrainer.Options Fill(LightGbmRegressionTrainer.Options options, string key, TrainingParameters p)
    {
        (options.NumberOfIterations, options.NumberOfLeaves, options.LearningRate, options.MinimumExampleCountPerLeaf) = LightGbm(key, p);
        options.NumberOfThreads = 1;
        return options;
    }

    private static (int Trees, int Leaves, double LearningRate, int MinimumLeaf) LightGbm(string key, TrainingParameters p)
    {
        p.EnsureOnly(key, Trees);
        return (
            Positive(p.GetInt32(TreesParameter, 100), TreesParameter),
            Positive(p.GetInt32(LeavesParameter, 20), LeavesParameter),
            PositiveRate(p.GetDouble(LearningRateParameter, 0.1), LearningRateParameter),
            Positive(p.GetInt32(MinimumLeafParameter, 10), MinimumLeafParameter));
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"Training parameter '{name}' must be positive, but is {value}.");

    private static double PositiveRate(double value, string name) =>
        value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"Training parameter '{name}' must be positive, but is {value}.");
}
