namespace SelfLearning.Monitoring;

/// <summary>Why an automatic rollback was advised.</summary>
public enum RollbackReasonKind
{
    /// <summary>Live accuracy is significantly more than the margin below the pre-promotion holdout accuracy.</summary>
    AccuracyRegression = 0,

    /// <summary>A guardrail failed.</summary>
    GuardrailFailed = 1,
}
