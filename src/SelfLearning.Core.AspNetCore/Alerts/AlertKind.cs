namespace SelfLearning.AspNetCore.Alerts;

/// <summary>What an alert is about.</summary>
public enum AlertKind
{
    /// <summary>The champion was rolled back (automatically after a regression, or by an operator).</summary>
    ChampionRolledBack = 0,

    /// <summary>A training job failed.</summary>
    TrainingFailed = 1,

    /// <summary>Drift of live scores or errors was detected.</summary>
    Drift = 2,

    /// <summary>No new validated cases arrived for longer than the model's limit.</summary>
    DataStale = 3,

    /// <summary>A training job has been running longer than <see cref="SelfLearningAlertOptions.JobRunningLongerThan"/>.</summary>
    JobRunningLong = 4,
}
