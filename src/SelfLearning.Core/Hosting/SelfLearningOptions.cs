using System.ComponentModel.DataAnnotations;

namespace SelfLearning.Hosting;

/// <summary>Options of the whole loop; each model has its own <see cref="SelfLearningModelOptions"/>.</summary>
public sealed class SelfLearningOptions
{
    /// <summary>
    /// The longest wait the background service can make: a <see cref="TimeProvider"/> timer (and <c>Task.Delay</c>) waits
    /// at most 2³² − 2 milliseconds, about 49.7 days. <see cref="CycleInterval"/> and <see cref="FailureRetryDelay"/> are validated against it.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary>
    /// Gets or sets how often the background service runs a cycle for each model: the wait after a model's cycle ends
    /// before its next starts. At most <see cref="MaxWait"/>, the longest a <see cref="TimeProvider"/> timer can wait.
    /// </summary>
    /// <value>The default value is one hour.</value>
    public TimeSpan CycleInterval { get; set; } = HostingConstants.DefaultCycleInterval;

    /// <summary>
    /// Gets or sets how long the background service waits before retrying a model whose cycle failed; each further
    /// failure in a row doubles the wait, up to <see cref="CycleInterval"/>. A success returns the model to the interval.
    /// </summary>
    /// <value>The default value is one minute; at most <see cref="MaxWait"/>.</value>
    public TimeSpan FailureRetryDelay { get; set; } = HostingConstants.DefaultFailureRetryDelay;

    /// <summary>Gets or sets the identity the loop writes into the registry's audit history.</summary>
    /// <value>The default value is <c>selflearning-loop</c>.</value>
    [Required]
    public string Actor { get; set; } = HostingConstants.DefaultActor;

    /// <summary>Gets or sets whether the background service runs cycles; turn it off to drive <see cref="ISelfLearningLoop"/> yourself.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RunInBackground { get; set; } = true;

    /// <summary>Gets the names of the models added with <c>AddModel</c>.</summary>
    public ISet<string> Models { get; } = new SortedSet<string>(StringComparer.Ordinal);
}
