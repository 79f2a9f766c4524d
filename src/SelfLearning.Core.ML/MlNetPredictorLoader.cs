using Microsoft.ML;
using Microsoft.ML.Data;
using SelfLearning.Internal;
using SelfLearning.Training;

namespace SelfLearning.ML;

/// <summary>
/// Loads the artifacts of an ML.NET model type (<see cref="MlNetTrainer"/>) into thread-safe predictors: the ML.NET
/// model is read from the artifact's zip, its saved input schema is checked against the artifact's manifest, and each
/// loaded version serves through its own pool of prediction engines, so no engine is ever shared between threads and a
/// new champion or canary (a new version, loaded anew) never shares engines with the old one.
/// </summary>
public sealed class MlNetPredictorLoader : IPredictorLoader
{
    /// <summary>The artifact format name.</summary>
    public const string ArtifactFormat = "selflearning.mlnet.v1+zip";

    /// <summary>Creates the loader of one ML.NET model type.</summary>
    /// <param name="modelType">The model-type key, the same as the trainer's.</param>
    /// <param name="taskKind">The task the model type serves; artifacts of another task are refused.</param>
    public MlNetPredictorLoader(string modelType, TaskKind taskKind)
    {
        ModelType = Guard.NotNullOrWhiteSpace(modelType);
        if (taskKind == TaskKind.ScoreCalibration || !Enum.IsDefined(taskKind))
        {
            throw new ArgumentOutOfRangeException(nameof(taskKind), taskKind, $"An ML.NET model type serves a feature task, not {taskKind}.");
        }

        TaskKind = taskKind;
    }

    /// <inheritdoc />
    public string ModelType { get; }

    /// <summary>Gets the task the model type serves.</summary>
    public TaskKind TaskKind { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The artifact is not of <see cref="ArtifactFormat"/>, is malformed or tampered with, is of another task or model type,
    /// or holds an ML.NET model saved with another input schema than its manifest describes.
    /// </exception>
    public IPredictor Load(TrainingArtifact artifact)
    {
        Guard.NotNull(artifact);
        var ml = new MLContext(seed: 0);
        var (manifest, model) = MlNetArtifact.Read(ml, artifact);
        if (!string.Equals(manifest.ModelType, ModelType, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The artifact was trained by model type '{manifest.ModelType}', not '{ModelType}'.", nameof(artifact));
        }

        if (manifest.TaskKind != TaskKind)
        {
            throw new ArgumentException($"The artifact holds a {manifest.TaskKind} model, but model type '{ModelType}' serves {TaskKind}.", nameof(artifact));
        }

        return TaskKind switch
        {
            TaskKind.BinaryClassification or TaskKind.MulticlassClassification => new MlNetClassificationPredictor(ml, model, manifest),
            TaskKind.Regression => new MlNetRegressionPredictor(ml, model, manifest),
            _ => new MlNetClusteringPredictor(ml, model, manifest, ClusterCount(ml, model, manifest, nameof(artifact))),
        };
    }

    private static int ClusterCount(MLContext ml, ITransformer model, MlNetArtifact.Manifest manifest, string parameterName)
    {
        var input = MlNetRows.EmptyInput(ml, manifest.FeatureCount, manifest.AttributeColumns());
        var score = model.GetOutputSchema(input.Schema).GetColumnOrNull("Score");
        return score is { Type: VectorDataViewType { Size: > 0 } vector }
            ? vector.Size
            : throw new ArgumentException("The ML.NET clustering model has no 'Score' vector of distances to its centers.", parameterName);
    }
}
