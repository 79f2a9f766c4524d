namespace SelfLearning.Training;

/// <summary>
/// A training job as stored: what to train, where it is in its lifecycle, and what came of it. Immutable; the
/// engine writes a new version for every change, and the store refuses a write based on a stale
/// <see cref="Version"/>.
/// </summary>
public sealed record TrainingJob
{
    /// <summary>Gets the job's id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the model being trained.</summary>
    public required string ModelKey { get; init; }

    /// <summary>Gets the trainer's model-type key.</summary>
    public required string ModelType { get; init; }

    /// <summary>Gets the priority (higher first).</summary>
    public int Priority { get; init; }

    /// <summary>Gets the arrival order the store assigned; equal priorities run in this order.</summary>
    public long Sequence { get; init; }

    /// <summary>Gets the store's version of this record, increased by every write.</summary>
    public long Version { get; init; }

    /// <summary>Gets the lifecycle state.</summary>
    public TrainingJobState State { get; init; }

    /// <summary>Gets what asked for the job.</summary>
    public TrainingTriggerKind Trigger { get; init; }

    /// <summary>Gets the requested hyperparameters.</summary>
    public TrainingParameters Parameters { get; init; } = TrainingParameters.Empty;

    /// <summary>Gets the seed.</summary>
    public int Seed { get; init; }

    /// <summary>Gets a value indicating whether a grid search runs first.</summary>
    public bool TuneHyperparameters { get; init; }

    /// <summary>Gets when the job was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the job was last written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the current (or last) attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the job reached a terminal state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Gets the earliest time a queued retry may start; <see langword="null"/> when it may start at once.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Gets how many attempts have started.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets why the last attempt failed (or why the job was recovered); <see langword="null"/> when none did.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Gets the latest progress report.</summary>
    public TrainingProgress? Progress { get; init; }

    /// <summary>Gets the validation metrics of a completed job.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = TrainingMetrics.Empty;

    /// <summary>Gets the parameters the trainer actually used (defaults and tuned values included).</summary>
    public TrainingParameters? ParametersUsed { get; init; }

    /// <summary>Gets what the last attempt cost.</summary>
    public TrainingResourceUsage? ResourceUsage { get; init; }

    /// <summary>Gets the trained artifact of a completed job.</summary>
    public TrainingArtifact? Artifact { get; init; }

    /// <summary>Gets the engine instance holding the job's lease while it runs or is paused.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the lease ends unless renewed by a heartbeat.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Returns a copy in state <paramref name="to"/>, refusing a move the state machine does not allow.</summary>
    /// <param name="to">The new state.</param>
    /// <param name="at">When the move happens.</param>
    /// <returns>The new record (same <see cref="Version"/>; the store increases it on write).</returns>
    /// <exception cref="InvalidOperationException">The move is not allowed (see <see cref="TrainingJobTransitions"/>).</exception>
    public TrainingJob TransitionTo(TrainingJobState to, DateTimeOffset at)
    {
        TrainingJobTransitions.EnsureAllowed(Id, State, to);
        return this with
        {
            State = to,
            UpdatedAt = at,
            FinishedAt = TrainingJobTransitions.IsTerminal(to) ? at : null,
        };
    }
}
