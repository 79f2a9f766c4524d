using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>The loader of a built-in model type: its key and the model class's own <c>Load</c>.</summary>
internal sealed class BuiltInPredictorLoader(string modelType, Func<TrainingArtifact, IPredictor> load) : IPredictorLoader
{
    public string ModelType { get; } = modelType;

    public IPredictor Load(TrainingArtifact artifact) => load(Guard.NotNull(artifact));

    /// <summary>The loaders of the built-in trainers, one per model type.</summary>
    public static IEnumerable<IPredictorLoader> All() =>
    [
        new BuiltInPredictorLoader(CalibrationTrainer.Key, CalibrationModel.Load),
        new BuiltInPredictorLoader(LogisticRegressionTrainer.Key, LogisticRegressionModel.Load),
        new BuiltInPredictorLoader(SoftmaxRegressionTrainer.Key, LogisticRegressionModel.Load),
        new BuiltInPredictorLoader(RidgeRegressionTrainer.Key, RidgeRegressionModel.Load),
        new BuiltInPredictorLoader(KMeansTrainer.Key, KMeansModel.Load),
    ];
}
