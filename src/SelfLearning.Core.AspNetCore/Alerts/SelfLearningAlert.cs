namespace SelfLearning.AspNetCore.Alerts;

/// <summary>One alert, as every sink receives it.</summary>
/// <param name="Id">A unique id: a receiver that sees the same id twice (a retried delivery) keeps one.</param>
/// <param name="Kind">What the alert is about.</param>
/// <param name="Model">The model, if any.</param>
/// <param name="Subject">What within the model (a version or a job id), if any.</param>
/// <param name="Message">A human-readable message.</param>
/// <param name="OccurredAt">When it happened.</param>
public sealed record SelfLearningAlert(Guid Id, AlertKind Kind, string? Model, string? Subject, string Message, DateTimeOffset OccurredAt)
{
    /// <summary>Gets the de-duplication key: alerts with the same key within the cooldown are sent once.</summary>
    public string DeduplicationKey => $"{Kind}|{Model}|{Subject}";
}
