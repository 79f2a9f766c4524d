namespace SelfLearning.Cases;

/// <summary>
/// How far collection has read: the validation time and id of the last case read. Ordered by time,
/// then by id (ordinal), so several cases validated at the same instant are neither lost nor read twice.
/// </summary>
/// <param name="ValidatedAt">When the last case read was validated.</param>
/// <param name="CaseId">The host's id of the last case read; the empty string before the first case.</param>
public readonly record struct CaseWatermark(DateTimeOffset ValidatedAt, string CaseId) : IComparable<CaseWatermark>
{
    /// <summary>Gets the watermark before any case: every validated case is after it.</summary>
    public static CaseWatermark Start { get; } = new(DateTimeOffset.MinValue, string.Empty);

    /// <summary>Gets the host's id of the last case read; never <see langword="null"/>.</summary>
    public string CaseId { get; init; } = CaseId ?? string.Empty;

    /// <summary>Whether a case validated at <paramref name="validatedAt"/> with id <paramref name="caseId"/> comes after this watermark.</summary>
    /// <param name="validatedAt">When the case was validated.</param>
    /// <param name="caseId">The case's id.</param>
    /// <returns><see langword="true"/> when the case has not been read yet.</returns>
    public bool IsBefore(DateTimeOffset validatedAt, string caseId) => CompareTo(new CaseWatermark(validatedAt, caseId)) < 0;

    /// <inheritdoc />
    public int CompareTo(CaseWatermark other)
    {
        int byTime = ValidatedAt.UtcTicks.CompareTo(other.ValidatedAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(CaseId, other.CaseId);
    }

    /// <summary>Whether <paramref name="left"/> is earlier than <paramref name="right"/>.</summary>
    /// <param name="left">The first watermark.</param>
    /// <param name="right">The second watermark.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(CaseWatermark left, CaseWatermark right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is later than <paramref name="right"/>.</summary>
    /// <param name="left">The first watermark.</param>
    /// <param name="right">The second watermark.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(CaseWatermark left, CaseWatermark right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is earlier than or equal to <paramref name="right"/>.</summary>
    /// <param name="left">The first watermark.</param>
    /// <param name="right">The second watermark.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(CaseWatermark left, CaseWatermark right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is later than or equal to <paramref name="right"/>.</summary>
    /// <param name="left">The first watermark.</param>
    /// <param name="right">The second watermark.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(CaseWatermark left, CaseWatermark right) => left.CompareTo(right) >= 0;
}
