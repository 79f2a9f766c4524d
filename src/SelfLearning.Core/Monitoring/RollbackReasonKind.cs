namespace SelfLearning.Monitoring;

/// <summary>Why an automatic rollback was advised.</summary>
internal enum RollbackReasonKind
{
    /// <summary>Live accuracy is significantly more than the margin below the pre-promotion holdout accuracy.</summary>
    AccuracyRegression = 0,

    /// <summary>A guardrail failed.</summary>
    GuardrailFailed = 1,

    /// <summary>A regression's live mean absolute error is significantly above its held-out error plus the margin.</summary>
    ErrorRegression = 2,

    /// <summary>A clustering's live cluster shares differ significantly, and by more than the margin, from its held-out shares.</summary>
    ClusterShift = 3,
}
