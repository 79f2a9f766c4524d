namespace SelfLearning.Privacy;

/// <summary>A stretch of text that holds personal data.</summary>
/// <param name="EntityType">What was found, as Presidio names it (see <see cref="PiiEntityTypes"/>) or as the host named a pattern.</param>
/// <param name="Start">The index of the first character (UTF-16 code unit).</param>
/// <param name="Length">The number of characters.</param>
/// <param name="Score">How sure the detector is, in (0, 1]; checksum-validated entities score 1.</param>
public readonly record struct PiiSpan(string EntityType, int Start, int Length, double Score)
{
    /// <summary>Gets the index just past the last character.</summary>
    public int End => Start + Length;

    /// <summary>Whether this span shares at least one character with <paramref name="other"/>.</summary>
    /// <param name="other">The other span.</param>
    /// <returns><see langword="true"/> when the spans overlap.</returns>
    public bool Overlaps(PiiSpan other) => Start < other.End && other.Start < End;
}
