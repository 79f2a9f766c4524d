namespace SelfLearning.Training;

/// <summary>The answer to a training request: the job that was queued, or why none was.</summary>
/// <param name="IsQueued">Whether a new job was queued.</param>
/// <param name="Job">The new job when queued; otherwise the model's active job that caused the skip.</param>
/// <param name="SkipReason">Why nothing was queued; <see langword="null"/> when a job was.</param>
public sealed record TrainingEnqueueResult(bool IsQueued, TrainingJob Job, string? SkipReason);
