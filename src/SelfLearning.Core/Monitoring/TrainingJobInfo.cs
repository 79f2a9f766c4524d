namespace SelfLearning.Monitoring;

/// <summary>The last finished training job.</summary>
/// <param name="JobId">The job's identifier.</param>
/// <param name="Failed">Whether it failed.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="Error">The failure's message, when it failed.</param>
internal sealed record TrainingJobInfo(string JobId, bool Failed, DateTimeOffset FinishedAt, string? Error);
