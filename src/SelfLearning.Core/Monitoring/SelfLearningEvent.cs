using System.Collections.ObjectModel;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>Something that happened in the self-learning loop, as delivered to <see cref="ISelfLearningEvents"/> subscribers.</summary>
public sealed record SelfLearningEvent
{
    private static readonly IReadOnlyDictionary<string, object?> NoProperties =
        new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>());

    /// <summary>Initializes a new instance of the <see cref="SelfLearningEvent"/> class.</summary>
    /// <param name="kind">What happened.</param>
    /// <param name="occurredAt">When it happened (from the loop's <see cref="TimeProvider"/>).</param>
    /// <param name="model">The model concerned, if any.</param>
    /// <param name="version">The registry version number concerned, if any.</param>
    /// <param name="message">A human-readable account.</param>
    /// <param name="properties">The numbers and identifiers behind it (copied), e.g. "psi" or "liveAccuracy".</param>
    /// <exception cref="ArgumentException">The kind is not defined or the message is empty.</exception>
    public SelfLearningEvent(
        SelfLearningEventKind kind,
        DateTimeOffset occurredAt,
        string? model,
        int? version,
        string message,
        IReadOnlyDictionary<string, object?>? properties = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"'{nameof(kind)}' is not a defined {nameof(SelfLearningEventKind)}: {(int)kind}.");
        }

        Kind = kind;
        OccurredAt = occurredAt;
        Model = model;
        Version = version;
        Message = Guard.NotNullOrWhiteSpace(message);
        Properties = properties is null || properties.Count == 0
            ? NoProperties
            : new ReadOnlyDictionary<string, object?>(properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>Gets what happened.</summary>
    public SelfLearningEventKind Kind { get; }

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary>Gets the model concerned, if any.</summary>
    public string? Model { get; }

    /// <summary>Gets the registry version number concerned, if any.</summary>
    public int? Version { get; }

    /// <summary>Gets a human-readable account.</summary>
    public string Message { get; }

    /// <summary>Gets the numbers and identifiers behind the event (read-only).</summary>
    public IReadOnlyDictionary<string, object?> Properties { get; }
}
