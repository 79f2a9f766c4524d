namespace SelfLearning.Monitoring;

/// <summary>What happened in the self-learning loop.</summary>
public enum SelfLearningEventKind
{
    /// <summary>A training job completed and produced a candidate.</summary>
    JobCompleted = 0,

    /// <summary>A training job failed.</summary>
    JobFailed = 1,

    /// <summary>A candidate did not pass the gate against the champion.</summary>
    CandidateRejected = 2,

    /// <summary>A version was promoted to champion.</summary>
    Promoted = 3,

    /// <summary>The champion was rolled back to an earlier version.</summary>
    RolledBack = 4,

    /// <summary>Drift was detected in scores, inputs or the error stream.</summary>
    DriftDetected = 5,

    /// <summary>Not enough new data has arrived, or the champion has grown old.</summary>
    DataStale = 6,
}
