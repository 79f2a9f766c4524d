namespace SelfLearning.Hosting;

/// <summary>What one cycle of the loop did for a model.</summary>
public enum SelfLearningCycleOutcome
{
    /// <summary>Nothing to do: too few new cases, and no canary or regression to act on.</summary>
    Idle = 0,

    /// <summary>A canary is still collecting outcomes at its current step.</summary>
    ExperimentContinued = 1,

    /// <summary>A canary moved to its next traffic share.</summary>
    ExperimentRampedUp = 2,

    /// <summary>A challenger won its canary and became champion.</summary>
    Promoted = 3,

    /// <summary>A challenger lost its canary (or it ended without a winner) and was withdrawn.</summary>
    ChallengerWithdrawn = 4,

    /// <summary>The champion regressed in production and was rolled back.</summary>
    RolledBack = 5,

    /// <summary>A candidate was trained and rejected by the quality gate.</summary>
    CandidateRejected = 6,

    /// <summary>A candidate passed the gate and started a canary.</summary>
    ChallengerStarted = 7,

    /// <summary>The first version of a model passed the gate against the uncalibrated baseline and became champion.</summary>
    FirstChampion = 8,

    /// <summary>Training failed; the champion keeps serving.</summary>
    TrainingFailed = 9,
}
