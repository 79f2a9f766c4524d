using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// A slice [<see cref="Start"/>, <see cref="End"/>) of a GrowthBook namespace. Experiments given
/// non-overlapping slices of the same namespace are mutually exclusive: no unit is in both.
/// </summary>
public sealed record ExperimentNamespace
{
    /// <summary>Creates a namespace slice.</summary>
    /// <param name="id">The namespace id shared by the mutually exclusive experiments.</param>
    /// <param name="start">The start of this experiment's slice, in [0, 1].</param>
    /// <param name="end">The end of this experiment's slice, in [<paramref name="start"/>, 1].</param>
    /// <exception cref="ArgumentException">The id is empty or the slice is not inside [0, 1].</exception>
    public ExperimentNamespace(string id, double start, double end)
    {
        Id = Guard.NotNullOrWhiteSpace(id);
        Start = Guard.InRange(start, 0.0, 1.0);
        End = Guard.InRange(end, start, 1.0);
    }

    /// <summary>Gets the namespace id.</summary>
    public string Id { get; }

    /// <summary>Gets the start of the slice (inclusive).</summary>
    public double Start { get; }

    /// <summary>Gets the end of the slice (exclusive).</summary>
    public double End { get; }
}
