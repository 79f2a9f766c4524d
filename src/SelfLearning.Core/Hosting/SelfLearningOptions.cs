using System.ComponentModel.DataAnnotations;

namespace SelfLearning.Hosting;

/// <summary>Options of the whole loop; each model has its own <see cref="SelfLearningModelOptions"/>.</summary>
public sealed class SelfLearningOptions
{
    /// <summary>Gets or sets how often the background service runs a cycle for each model.</summary>
    /// <value>The default value is one hour.</value>
    public TimeSpan CycleInterval { get; set; } = HostingConstants.DefaultCycleInterval;

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
