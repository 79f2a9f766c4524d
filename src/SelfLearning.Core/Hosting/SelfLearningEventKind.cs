namespace SelfLearning.Hosting;

/// <summary>What happened in the loop.</summary>
public enum SelfLearningEventKind
{
    /// <summary>A training run failed; the champion keeps serving.</summary>
    JobFailed = 0,

    /// <summary>A candidate failed the quality gate and was registered as rejected.</summary>
    CandidateRejected = 1,

    /// <summary>A candidate passed the gate and started a canary as challenger.</summary>
    ChallengerStarted = 2,

    /// <summary>A canary moved to its next traffic share.</summary>
    RampedUp = 3,

    /// <summary>A version became champion.</summary>
    Promoted = 4,

    /// <summary>A challenger was withdrawn, or a champion was rolled back.</summary>
    RolledBack = 5,

    /// <summary>Live scores drifted from the training reference.</summary>
    DriftDetected = 6,

    /// <summary>No new validated cases arrived for a model for longer than expected.</summary>
    DataStale = 7,

    /// <summary>A cycle failed for a reason other than training; it is retried at the next interval.</summary>
    CycleFailed = 8,
}
