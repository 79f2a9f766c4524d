using System.Runtime.CompilerServices;
using SelfLearning.Internal;

namespace SelfLearning.Cases;

/// <summary>
/// An <see cref="ICaseSource"/> over cases held in memory, for tests and samples, and an
/// <see cref="IFeedbackCaseWriter"/> the loop may append recorded outcomes to. Thread-safe: cases may be added
/// while a collection reads.
/// </summary>
/// <remarks>
/// Cases come back in the order they were added. A case without a validation time is ordered by
/// its creation time, so a malformed case still reaches the collector, which rejects it.
/// </remarks>
public sealed class InMemoryCaseSource : ICaseSource, IFeedbackCaseWriter
{
    private const int ReadChunk = 4_096;
    private readonly object gate = new();
    private readonly List<FeedbackCase> cases = [];

    // The ids held, so an append finds a case of the same id without scanning every case.
    private readonly HashSet<string> ids = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="InMemoryCaseSource"/> class holding <paramref name="cases"/>.</summary>
    /// <param name="cases">The initial cases.</param>
    public InMemoryCaseSource(IEnumerable<FeedbackCase>? cases = null)
    {
        if (cases is not null)
        {
            AddRange(cases);
        }
    }

    /// <summary>Gets the number of cases held.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return cases.Count;
            }
        }
    }

    /// <summary>Adds a case.</summary>
    /// <param name="feedbackCase">The case.</param>
    public void Add(FeedbackCase feedbackCase)
    {
        Guard.NotNull(feedbackCase);
        lock (gate)
        {
            cases.Add(feedbackCase);
            Remember(feedbackCase);
        }
    }

    /// <summary>Adds <paramref name="feedbackCase"/> unless a case with its id is already held (see <see cref="IFeedbackCaseWriter"/>).</summary>
    /// <param name="feedbackCase">The case; its id must not be <see langword="null"/> or empty.</param>
    /// <param name="cancellationToken">Stops the append before it is stored.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when a case with its id was already held.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedbackCase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The case's id is <see langword="null"/> or empty.</exception>
    public ValueTask<bool> AppendAsync(FeedbackCase feedbackCase, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(feedbackCase);
        if (string.IsNullOrEmpty(feedbackCase.Id))
        {
            throw new ArgumentException($"The case's {nameof(FeedbackCase.Id)} is null or empty; an appended case needs an id.", nameof(feedbackCase));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (!ids.Add(feedbackCase.Id))
            {
                return ValueTask.FromResult(false);
            }

            cases.Add(feedbackCase);
            return ValueTask.FromResult(true);
        }
    }

    /// <summary>Adds cases.</summary>
    /// <param name="feedbackCases">The cases.</param>
    public void AddRange(IEnumerable<FeedbackCase> feedbackCases)
    {
        Guard.NotNull(feedbackCases);
        var added = feedbackCases.ToList();
        for (int i = 0; i < added.Count; i++)
        {
            if (added[i] is null)
            {
                throw new ArgumentException($"'{nameof(feedbackCases)}' holds null at index {i}.", nameof(feedbackCases));
            }
        }

        lock (gate)
        {
            cases.AddRange(added);
            foreach (FeedbackCase feedbackCase in added)
            {
                Remember(feedbackCase);
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(
        CaseWatermark after,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The cases held when the read starts, copied a chunk at a time under the lock (cases are only ever appended),
        // so a read of a million cases neither copies them all at once nor sees cases added while it reads.
        int end;
        lock (gate)
        {
            end = cases.Count;
        }

        var chunk = new FeedbackCase[Math.Clamp(end, 1, ReadChunk)];
        for (int start = 0; start < end; start += chunk.Length)
        {
            int length = Math.Min(chunk.Length, end - start);
            lock (gate)
            {
                cases.CopyTo(start, chunk, 0, length);
            }

            for (int i = 0; i < length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                FeedbackCase feedbackCase = chunk[i];
                if (IsAfter(feedbackCase, after))
                {
                    yield return feedbackCase;
                }
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            long count = 0;
            foreach (FeedbackCase feedbackCase in cases)
            {
                if (IsAfter(feedbackCase, after))
                {
                    count++;
                }
            }

            return ValueTask.FromResult(count);
        }
    }

    // Under the lock. A malformed case without an id is held (for the collector to reject) but has no id to find.
    private void Remember(FeedbackCase feedbackCase)
    {
        if (feedbackCase.Id is { Length: > 0 } id)
        {
            ids.Add(id);
        }
    }

    private static bool IsAfter(FeedbackCase feedbackCase, CaseWatermark after) =>
        after.IsBefore(feedbackCase.ValidatedAt ?? feedbackCase.CreatedAt, feedbackCase.Id ?? string.Empty);
}
