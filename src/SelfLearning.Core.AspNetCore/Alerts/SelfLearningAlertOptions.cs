namespace SelfLearning.AspNetCore.Alerts;

/// <summary>Options of the alert dispatcher.</summary>
public sealed class SelfLearningAlertOptions
{
    /// <summary>Gets or sets how long an alert with the same key (kind, model, version or job) is not sent again.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets how long a training job may run before it raises <see cref="AlertKind.JobRunningLong"/>.</summary>
    /// <value>The default value is 2 hours.</value>
    public TimeSpan JobRunningLongerThan { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets how often running jobs are checked and undelivered alerts are retried.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}
