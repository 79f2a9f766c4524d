namespace SelfLearning.Cases;

/// <summary>
/// Where the host's feedback cases come from. The host implements it over its own storage.
/// </summary>
/// <remarks>
/// Implementations stream: they never load every case into memory. Reading is repeatable: two reads
/// after the same watermark return the same cases (plus any validated since), because
/// <see cref="CaseCollector"/> reads twice, first to find the latest review of each case and then to
/// keep it. Cases may come in any order.
/// </remarks>
public interface ICaseSource
{
    /// <summary>Streams the cases validated after <paramref name="after"/> (by validation time, then id).</summary>
    /// <param name="after">The watermark of the last case already collected; <see cref="CaseWatermark.Start"/> for all.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The cases, streamed.</returns>
    IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default);

    /// <summary>Counts the cases <see cref="ReadValidatedAfterAsync"/> would return now.</summary>
    /// <param name="after">The watermark of the last case already collected.</param>
    /// <param name="cancellationToken">Stops the count.</param>
    /// <returns>The number of cases validated after <paramref name="after"/>.</returns>
    ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default);
}
