namespace SelfLearning.Training;

/// <summary>One recorded state change of a job: its history entry.</summary>
/// <param name="JobId">The job.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="At">When it happened.</param>
/// <param name="Reason">Why, in words (e.g. the failure message); <see langword="null"/> when self-evident.</param>
public sealed record TrainingJobTransition(string JobId, TrainingJobState From, TrainingJobState To, DateTimeOffset At, string? Reason);
