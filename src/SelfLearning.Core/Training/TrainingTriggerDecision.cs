namespace SelfLearning.Training;

/// <summary>What came of one trigger firing: a queued job, or the reason none was queued.</summary>
/// <param name="ModelKey">The model.</param>
/// <param name="Trigger">What fired.</param>
/// <param name="At">When it fired (for a schedule, the scheduled instant).</param>
/// <param name="Job">The queued job; <see langword="null"/> when none was queued.</param>
/// <param name="Reason">Why nothing was queued; <see langword="null"/> when a job was.</param>
internal sealed record TrainingTriggerDecision(string ModelKey, TrainingTriggerKind Trigger, DateTimeOffset At, TrainingJob? Job, string? Reason)
{
    /// <summary>Gets a value indicating whether a job was queued.</summary>
    public bool Started => Job is not null;
}
