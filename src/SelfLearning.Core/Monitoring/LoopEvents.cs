using System.Globalization;
using Microsoft.Extensions.Options;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Registry;

namespace SelfLearning.Monitoring;

/// <summary>
/// What every stage of the loop writes besides its own state: an event to the subscribers, stamped with the injected
/// clock, and the audit entry of a registry change, written as the loop's actor.
/// </summary>
internal sealed class LoopEvents(ISelfLearningEventPublisher events, IOptions<SelfLearningOptions> options, TimeProvider timeProvider)
{
    /// <summary>Gets the actor the loop writes to the registry's audit history and as a version's creator.</summary>
    public string Actor { get; } = Guard.NotNull(options).Value.Actor;

    /// <summary>Gets the clock the loop reads.</summary>
    public TimeProvider Time { get; } = Guard.NotNull(timeProvider);

    /// <summary>Publishes an event about <paramref name="modelName"/> (and <paramref name="version"/>) now.</summary>
    public void Publish(SelfLearningEventKind kind, string modelName, int? version, string message, IReadOnlyDictionary<string, object?>? properties = null) =>
        events.Publish(new SelfLearningEvent(kind, Time.GetUtcNow(), modelName, version, message, properties));

    /// <summary>The registry change the loop writes, its reason cut to the registry's text limit.</summary>
    public RegistryChange Change(string reason) =>
        new(Actor, reason.Length <= RegistryNames.MaxTextLength ? reason : reason[..(RegistryNames.MaxTextLength - 1)] + "…");

    /// <summary>Formats with the invariant culture, as every message of the loop is.</summary>
    public static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
