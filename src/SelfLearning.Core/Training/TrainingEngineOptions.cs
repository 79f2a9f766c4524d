using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>Options of the <see cref="TrainingJobEngine"/>.</summary>
public sealed class TrainingEngineOptions
{
    /// <summary>Gets or sets how many jobs may run at once across all models.</summary>
    /// <value>The default value is 1.</value>
    public int MaxConcurrency { get; set; } = TrainingConstants.DefaultMaxConcurrency;

    /// <summary>Gets or sets how many attempts a job gets when its trainer reports transient failures.</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; set; } = TrainingConstants.DefaultMaxAttempts;

    /// <summary>Gets or sets the back-off before the first retry; each further retry doubles it.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TrainingConstants.DefaultRetryBaseDelay;

    /// <summary>Gets or sets the longest back-off between retries.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TrainingConstants.DefaultRetryMaxDelay;

    /// <summary>Gets or sets how long a running job's lease lasts without a heartbeat.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = TrainingConstants.DefaultLeaseDuration;

    /// <summary>
    /// Gets or sets how often running jobs renew their lease and the engine looks for abandoned jobs and for jobs
    /// queued by other processes. Must be shorter than <see cref="LeaseDuration"/>.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TrainingConstants.DefaultHeartbeatInterval;

    /// <summary>Gets or sets what happens to a job abandoned by a process that died.</summary>
    /// <value>The default value is <see cref="AbandonedJobBehavior.Requeue"/>.</value>
    public AbandonedJobBehavior AbandonedJobs { get; set; } = AbandonedJobBehavior.Requeue;

    /// <summary>Gets or sets the name this engine writes as lease owner; <see langword="null"/> for machine, process id and a random suffix.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? InstanceId { get; set; }

    /// <summary>Throws when a value is out of range, naming the option.</summary>
    internal void Validate()
    {
        Guard.InRange(MaxConcurrency, 1, TrainingConstants.MaxConcurrencyLimit);
        Guard.InRange(MaxAttempts, 1, TrainingConstants.MaxAttemptsLimit);
        TrainingGuard.Positive(RetryBaseDelay);
        TrainingGuard.Positive(RetryMaxDelay);
        TrainingGuard.Positive(LeaseDuration);
        TrainingGuard.Positive(HeartbeatInterval);
        if (HeartbeatInterval >= LeaseDuration)
        {
            throw new ArgumentOutOfRangeException(
                nameof(HeartbeatInterval),
                HeartbeatInterval,
                $"'{nameof(HeartbeatInterval)}' ({HeartbeatInterval}) must be shorter than '{nameof(LeaseDuration)}' ({LeaseDuration}).");
        }

        if (InstanceId is not null)
        {
            Guard.NotNullOrWhiteSpace(InstanceId);
        }
    }
}
