using System.Diagnostics.CodeAnalysis;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>One registered model type: its trainer and loader under one key, and the task they serve.</summary>
/// <param name="Key">The model-type key.</param>
/// <param name="Trainer">Trains candidates.</param>
/// <param name="Loader">Loads verified artifacts into predictors; <see langword="null"/> when only a trainer was registered.</param>
internal sealed record ModelType(string Key, ITrainer Trainer, IPredictorLoader? Loader)
{
    public TaskKind TaskKind => Trainer.TaskKind;

    /// <summary>Loads a predictor and checks it serves the model type's task.</summary>
    /// <exception cref="InvalidOperationException">No loader is registered, or it returned a predictor of another task.</exception>
    public IPredictor Load(TrainingArtifact artifact)
    {
        IPredictorLoader loader = Loader ?? throw new InvalidOperationException(
            $"Model type '{Key}' has a trainer but no predictor loader; register both with AddModelType<TTrainer, TLoader>().");
        IPredictor predictor = loader.Load(artifact) ?? throw new InvalidOperationException($"The loader of model type '{Key}' returned no predictor.");
        bool fits = TaskKind switch
        {
            TaskKind.ScoreCalibration => predictor is ICalibrationPredictor,
            TaskKind.BinaryClassification or TaskKind.MulticlassClassification => predictor is IClassificationPredictor,
            TaskKind.Regression => predictor is IRegressionPredictor,
            TaskKind.Clustering => predictor is IClusteringPredictor,
            _ => false,
        };
        return fits
            ? predictor
            : throw new InvalidOperationException(
                $"The loader of model type '{Key}' returned a {predictor.GetType().Name}, which does not implement the predictor interface of task {TaskKind}.");
    }
}

/// <summary>
/// The registry of model types: every <see cref="ITrainer"/> and <see cref="IPredictorLoader"/> in the container,
/// paired by key. A key registered twice resolves to the last registration (a host's own type replaces a built-in).
/// </summary>
internal sealed class ModelTypes
{
    private readonly Dictionary<string, ModelType> _types = new(StringComparer.Ordinal);

    public ModelTypes(IEnumerable<ITrainer> trainers, IEnumerable<IPredictorLoader> loaders)
    {
        var byKey = new Dictionary<string, IPredictorLoader>(StringComparer.Ordinal);
        foreach (var loader in Guard.NotNull(loaders))
        {
            byKey[loader.ModelType] = loader;
        }

        foreach (var trainer in Guard.NotNull(trainers))
        {
            _types[trainer.ModelType] = new ModelType(trainer.ModelType, trainer, byKey.GetValueOrDefault(trainer.ModelType));
        }
    }

    /// <summary>Gets the registered keys, ordinal order.</summary>
    public IEnumerable<string> Keys => _types.Keys.Order(StringComparer.Ordinal);

    /// <summary>Gets one trainer per key, for the training engine.</summary>
    public IEnumerable<ITrainer> Trainers => _types.Values.Select(t => t.Trainer);

    public bool TryGet(string key, [NotNullWhen(true)] out ModelType? type) => _types.TryGetValue(key, out type);

    /// <exception cref="KeyNotFoundException">No model type has that key.</exception>
    public ModelType Get(string key) => _types.TryGetValue(key, out var type)
        ? type
        : throw new KeyNotFoundException($"No model type '{key}' is registered (registered: {string.Join(", ", Keys)}).");
}
