using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// How one model is retrained: which trainer with which parameters, and which triggers start it (a schedule,
/// a number of new validated cases, or on demand), all subject to a minimum number of cases and a minimum
/// interval between trainings.
/// </summary>
internal sealed record TrainingPlan
{
    /// <summary>Creates a plan.</summary>
    /// <param name="modelKey">The model.</param>
    /// <param name="modelType">The trainer's model-type key.</param>
    public TrainingPlan(string modelKey, string modelType)
    {
        ModelKey = Guard.NotNullOrWhiteSpace(modelKey);
        ModelType = Guard.NotNullOrWhiteSpace(modelType);
    }

    /// <summary>Gets the model.</summary>
    public string ModelKey { get; }

    /// <summary>Gets the trainer's model-type key.</summary>
    public string ModelType { get; }

    /// <summary>Gets the priority of the jobs this plan queues.</summary>
    /// <value>The default value is 0.</value>
    public int Priority { get; init; }

    /// <summary>Gets the hyperparameters.</summary>
    /// <value>The default value is <see cref="TrainingParameters.Empty"/>.</value>
    public TrainingParameters Parameters { get; init; } = TrainingParameters.Empty;

    /// <summary>Gets the seed.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; init; }

    /// <summary>Gets a value indicating whether jobs run the trainer's grid search first.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TuneHyperparameters { get; init; }

    /// <summary>Gets the schedule; <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TrainingSchedule? Schedule { get; init; }

    /// <summary>Gets how many new validated cases since the last training start one; <see langword="null"/> for no such trigger.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? NewCasesThreshold { get; init; }

    /// <summary>Gets the fewest validated cases any trigger needs.</summary>
    /// <value>The default value is 50.</value>
    public int MinimumCases { get; init; } = TrainingConstants.DefaultMinimumCases;

    /// <summary>Gets the shortest time between the start of the last completed training and a new one.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan MinimumInterval { get; init; }

    /// <summary>Gets what a trigger does while the model already has a job queued, running or paused.</summary>
    /// <value>The default value is <see cref="BusyModelBehavior.Skip"/>.</value>
    public BusyModelBehavior WhenBusy { get; init; }

    internal void Validate()
    {
        Guard.NonNegative(MinimumCases);
        TrainingGuard.NonNegative(MinimumInterval);
        if (NewCasesThreshold is { } threshold)
        {
            Guard.Positive(threshold, nameof(NewCasesThreshold));
        }

        Guard.NotNull(Parameters);
    }

    internal TrainingRequest ToRequest(TrainingTriggerKind trigger) => new(ModelKey, ModelType)
    {
        Priority = Priority,
        Parameters = Parameters,
        Seed = Seed,
        TuneHyperparameters = TuneHyperparameters,
        Trigger = trigger,
        WhenBusy = WhenBusy,
    };
}
