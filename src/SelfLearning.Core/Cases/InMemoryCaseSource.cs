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
        FeedbackCase[] current;
        lock (gate)
        {
            current = [.. cases];
        }

        foreach (FeedbackCase feedbackCase in current)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsAfter(feedbackCase, after))
            {
                yield return feedbackCase;
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
