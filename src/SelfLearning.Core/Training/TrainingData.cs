using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// A job's data: the training split a trainer fits on and the validation split it reports metrics on, both of the
/// same kind and width. Adapt a dataset snapshot's deterministic splits to this.
/// </summary>
public sealed class TrainingData
{
    /// <summary>Creates the data.</summary>
    /// <param name="training">The rows to fit on; not empty.</param>
    /// <param name="validation">The held-out rows to measure on; not empty.</param>
    /// <param name="datasetId">The dataset (snapshot id or content hash) the rows come from, for the record; optional.</param>
    public TrainingData(TrainingTable training, TrainingTable validation, string? datasetId = null)
    {
        Guard.NotNull(training);
        Guard.NotNull(validation);
        if (training.RowCount == 0)
        {
            throw new ArgumentException("The training split is empty.", nameof(training));
        }

        if (validation.RowCount == 0)
        {
            throw new ArgumentException("The validation split is empty.", nameof(validation));
        }

        if (training.Kind != validation.Kind)
        {
            throw new ArgumentException(
                $"The validation split is a {validation.Kind} table but the training split is a {training.Kind} table.", nameof(validation));
        }

        if (training.FeatureCount != validation.FeatureCount)
        {
            throw new ArgumentException(
                $"The validation split has {validation.FeatureCount} features but the training split has {training.FeatureCount}.", nameof(validation));
        }

        Training = training;
        Validation = validation;
        DatasetId = datasetId;
    }

    /// <summary>Gets the training split.</summary>
    public TrainingTable Training { get; }

    /// <summary>Gets the validation split.</summary>
    public TrainingTable Validation { get; }

    /// <summary>Gets the dataset the rows come from, when known.</summary>
    public string? DatasetId { get; }

    /// <summary>Gets the kind of both splits.</summary>
    public TrainingTableKind Kind => Training.Kind;
}
