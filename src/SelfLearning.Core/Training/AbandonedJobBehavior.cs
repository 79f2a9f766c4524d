namespace SelfLearning.Training;

/// <summary>What the engine does with a job whose lease expired because the process running it died.</summary>
public enum AbandonedJobBehavior
{
    /// <summary>Queue it again (failing it instead once its attempts are used up).</summary>
    Requeue = 0,

    /// <summary>Fail it, recording that it was abandoned.</summary>
    Fail = 1,
}
