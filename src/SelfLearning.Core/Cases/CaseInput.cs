using System.Collections.Immutable;

namespace SelfLearning.Cases;

/// <summary>
/// What the host model saw and said: numeric features, the model's raw score (a margin or a
/// probability), and its per-class scores. Any part may be absent; a case needs at least one.
/// </summary>
public sealed record CaseInput
{
    private readonly ImmutableArray<double> features = ImmutableArray<double>.Empty;
    // One shared empty map: building an empty ordinal map allocates, and every instance without one would.
    private static readonly ImmutableSortedDictionary<string, double> EmptyMap = ImmutableSortedDictionary.Create<string, double>(StringComparer.Ordinal);

    private readonly ImmutableSortedDictionary<string, double> classScores = EmptyMap;

    /// <summary>An input with no parts.</summary>
    public static CaseInput Empty { get; } = new();

    /// <summary>Gets the numeric features, in the host's feature order; empty when the host sends none.</summary>
    public ImmutableArray<double> Features
    {
        get => features;
        init => features = value.IsDefault ? ImmutableArray<double>.Empty : value;
    }

    /// <summary>Gets the host model's raw score for the predicted label, if the host sends one.</summary>
    public double? RawScore { get; init; }

    /// <summary>Gets the host model's score for each class, keyed by label (ordinal order); empty when the host sends none.</summary>
    public ImmutableSortedDictionary<string, double> ClassScores
    {
        get => classScores;
        init => classScores = value is null
            ? EmptyMap
            : value.WithComparers(StringComparer.Ordinal);
    }

    /// <summary>Gets a value indicating whether no part of the input is present.</summary>
    public bool IsEmpty => Features.IsEmpty && RawScore is null && ClassScores.IsEmpty;

    /// <summary>Gets a value indicating whether every number present is finite.</summary>
    public bool IsFinite
    {
        get
        {
            if (RawScore is double raw && !double.IsFinite(raw))
            {
                return false;
            }

            foreach (double feature in Features)
            {
                if (!double.IsFinite(feature))
                {
                    return false;
                }
            }

            if (ClassScores.IsEmpty)
            {
                return true;
            }

            // The map's own struct enumerator: ClassScores.Values would allocate an iterator for every case checked.
            foreach (KeyValuePair<string, double> score in ClassScores)
            {
                if (!double.IsFinite(score.Value))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
