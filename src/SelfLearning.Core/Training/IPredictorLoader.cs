namespace SelfLearning.Training;

/// <summary>
/// Turns a model type's artifact back into a thread-safe predictor. Registered with its trainer under the same
/// <see cref="ModelType"/> key (<c>AddModelType&lt;TTrainer, TLoader&gt;()</c>); the loop only ever hands it artifacts
/// whose SHA-256 the registry has verified, and never looks inside an artifact itself.
/// </summary>
/// <remarks>
/// The predictor returned must implement the interface of the model type's <see cref="ITrainer.TaskKind"/>:
/// <see cref="ICalibrationPredictor"/> for <see cref="TaskKind.ScoreCalibration"/>, <see cref="IClassificationPredictor"/>
/// for binary and multiclass classification, <see cref="IRegressionPredictor"/> for regression and
/// <see cref="IClusteringPredictor"/> for clustering; it is called from many threads at once.
/// </remarks>
public interface IPredictorLoader
{
    /// <summary>Gets the model-type key, the same as its trainer's <see cref="ITrainer.ModelType"/>.</summary>
    string ModelType { get; }

    /// <summary>Loads the predictor an artifact holds.</summary>
    /// <param name="artifact">A verified artifact this model type's trainer produced.</param>
    /// <returns>A thread-safe predictor.</returns>
    /// <exception cref="ArgumentException">The artifact is not of this model type's format, or is malformed.</exception>
    IPredictor Load(TrainingArtifact artifact);
}
