namespace SelfLearning.Monitoring;

/// <summary>One reason for rolling back, with the numbers behind it in <paramref name="Message"/>.</summary>
/// <param name="Kind">The kind of reason.</param>
/// <param name="Message">A human-readable account for the audit trail.</param>
internal sealed record RollbackReason(RollbackReasonKind Kind, string Message);
