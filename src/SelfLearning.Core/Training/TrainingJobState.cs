namespace SelfLearning.Training;

/// <summary>
/// Where a training job is in its lifecycle. <see cref="TrainingJobTransitions"/> says which moves between
/// states are allowed; every other move is refused.
/// </summary>
public enum TrainingJobState
{
    /// <summary>Waiting in the queue for a free slot (and, after a transient failure, for its back-off to end).</summary>
    Queued = 0,

    /// <summary>A trainer is working on the job.</summary>
    Running = 1,

    /// <summary>The job holds its slot but its trainer waits at its next checkpoint until resumed.</summary>
    Paused = 2,

    /// <summary>The trainer finished; the artifact and validation metrics are recorded. Terminal.</summary>
    Completed = 3,

    /// <summary>The trainer failed for good (or its retries ran out); the reason is recorded. Terminal.</summary>
    Failed = 4,

    /// <summary>Cancelled on request before it finished. Terminal.</summary>
    Cancelled = 5,
}
