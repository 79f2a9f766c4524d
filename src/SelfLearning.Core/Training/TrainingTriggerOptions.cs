namespace SelfLearning.Training;

/// <summary>Options of the <see cref="TrainingTriggerScheduler"/>.</summary>
internal sealed class TrainingTriggerOptions
{
    /// <summary>Gets or sets how often plans with a new-cases threshold count their new cases.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan CasePollInterval { get; set; } = TrainingConstants.DefaultCasePollInterval;

    /// <summary>Gets or sets how many recent decisions <see cref="TrainingTriggerScheduler.Decisions"/> keeps.</summary>
    /// <value>The default value is 1000.</value>
    public int DecisionHistoryLength { get; set; } = 1000;
}
