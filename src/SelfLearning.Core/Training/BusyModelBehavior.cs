namespace SelfLearning.Training;

/// <summary>What happens to a request for a model that already has a job queued, running or paused.</summary>
public enum BusyModelBehavior
{
    /// <summary>The request is dropped and reported as skipped.</summary>
    Skip = 0,

    /// <summary>The request is queued; it starts only after the model's current job has finished.</summary>
    Queue = 1,
}
