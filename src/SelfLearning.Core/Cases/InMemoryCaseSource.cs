using System.Runtime.CompilerServices;
using SelfLearning.Internal;

namespace SelfLearning.Cases;

/// <summary>
/// An <see cref="ICaseSource"/> over cases held in memory, for tests and samples. Thread-safe:
/// cases may be added while a collection reads.
/// </summary>
/// <remarks>
/// Cases come back in the order they were added. A case without a validation time is ordered by
/// its creation time, so a malformed case still reaches the collector, which rejects it.
/// </remarks>
public sealed class InMemoryCaseSource : ICaseSource
{
    private const int ReadChunk = 4_096;
    private readonly object gate = new();
    private readonly List<FeedbackCase> cases = [];

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

    private static bool IsAfter(FeedbackCase feedbackCase, CaseWatermark after) =>
        after.IsBefore(feedbackCase.ValidatedAt ?? feedbackCase.CreatedAt, feedbackCase.Id ?? string.Empty);
}
