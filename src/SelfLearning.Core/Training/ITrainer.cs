namespace SelfLearning.Training;

/// <summary>
/// Trains one kind of model. Hosts implement it for their own models (an ML.NET pipeline, an ONNX fine-tune);
/// the built-in trainers cover calibrators, logistic/softmax regression, ridge regression and k-means.
/// </summary>
public interface ITrainer
{
    /// <summary>Gets the model-type key requests use to pick this trainer, e.g. <c>"logistic-regression"</c>.</summary>
    string ModelType { get; }

    /// <summary>Gets what the trained model predicts, which decides how the loop evaluates, gates, canaries and watches it.</summary>
    TaskKind TaskKind { get; }

    /// <summary>
    /// Trains on <see cref="TrainingContext.Data"/>'s training split and measures the result on its validation split.
    /// The same data, parameters and seed must give a byte-identical artifact. Call
    /// <see cref="TrainingContext.CheckpointAsync"/> between stages so the job can be paused and cancelled.
    /// Throw <see cref="TransientTrainingException"/> for a failure worth retrying.
    /// </summary>
    /// <param name="context">The data, parameters, seed, progress sink and logger.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The artifact, its validation metrics and the parameters used.</returns>
    Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken);
}
