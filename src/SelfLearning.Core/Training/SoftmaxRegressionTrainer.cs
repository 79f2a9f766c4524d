using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// Multinomial (softmax) logistic regression for three or more classes: the same solver, parameters, metrics and
/// artifact as <see cref="LogisticRegressionTrainer"/>, registered as its own model type so the loop evaluates,
/// gates and calibrates it as a multiclass model (top-label calibration).
/// </summary>
public sealed class SoftmaxRegressionTrainer : ITunableTrainer
{
    /// <summary>The model-type key.</summary>
    public const string Key = "softmax-regression";

    private readonly LogisticRegressionTrainer _inner = new();

    /// <inheritdoc />
    public string ModelType => Key;

    /// <inheritdoc />
    /// <value>Multiclass classification.</value>
    public TaskKind TaskKind => TaskKind.MulticlassClassification;

    /// <inheritdoc />
    public HyperparameterSpace SearchSpace => _inner.SearchSpace;

    /// <inheritdoc />
    public Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken) =>
        _inner.TrainAsync(Guard.NotNull(context), cancellationToken);
}
