using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>A request to train one model: what the engine turns into a queued <see cref="TrainingJob"/>.</summary>
public sealed record TrainingRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="modelKey">The model being trained (e.g. <c>"triage-calibrator"</c>); at most one job per model runs at a time.</param>
    /// <param name="modelType">The trainer's model-type key (<see cref="ITrainer.ModelType"/>).</param>
    public TrainingRequest(string modelKey, string modelType)
    {
        ModelKey = Guard.NotNullOrWhiteSpace(modelKey);
        ModelType = Guard.NotNullOrWhiteSpace(modelType);
    }

    /// <summary>Gets the model being trained.</summary>
    public string ModelKey { get; }

    /// <summary>Gets the trainer's model-type key.</summary>
    public string ModelType { get; }

    /// <summary>Gets the priority: higher runs first; equal priorities run in arrival order.</summary>
    /// <value>The default value is 0.</value>
    public int Priority { get; init; }

    /// <summary>Gets the hyperparameters passed to the trainer.</summary>
    /// <value>The default value is <see cref="TrainingParameters.Empty"/> (the trainer's defaults).</value>
    public TrainingParameters Parameters { get; init; } = TrainingParameters.Empty;

    /// <summary>Gets the seed for every random choice the trainer makes.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; init; }

    /// <summary>Gets a value indicating whether a tunable trainer first runs its grid search on the training split.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TuneHyperparameters { get; init; }

    /// <summary>Gets what asked for the training.</summary>
    /// <value>The default value is <see cref="TrainingTriggerKind.Manual"/>.</value>
    public TrainingTriggerKind Trigger { get; init; }

    /// <summary>Gets what happens when the model already has a job queued, running or paused.</summary>
    /// <value>The default value is <see cref="BusyModelBehavior.Skip"/>.</value>
    public BusyModelBehavior WhenBusy { get; init; }
}
