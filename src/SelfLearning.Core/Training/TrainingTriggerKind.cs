namespace SelfLearning.Training;

/// <summary>What asked for a training job.</summary>
public enum TrainingTriggerKind
{
    /// <summary>A person or the host, on demand.</summary>
    Manual = 0,

    /// <summary>A schedule (fixed interval, daily or weekly at a local time).</summary>
    Schedule = 1,

    /// <summary>Enough new validated cases arrived since the last training.</summary>
    NewCases = 2,

    /// <summary>The live scores or the error stream of the champion drifted from its training reference.</summary>
    Drift = 3,
}
