namespace SelfLearning.Cases;

/// <summary>
/// A case store the loop may write to: the port through which a recorded outcome becomes a <see cref="FeedbackCase"/>
/// in the host's own store (<c>SelfLearningModelOptions.AppendOutcomesAsCases</c>), so the host keeps one feedback
/// channel. <see cref="InMemoryCaseSource"/> and <c>SqliteCaseSource</c> implement it; a host may implement it over
/// its own database beside its <see cref="ICaseSource"/>.
/// </summary>
/// <remarks>
/// Appending is idempotent by case id, because outcomes are delivered at least once (a queue redelivers, a client
/// retries, a host restarts between the two): when the store already holds a case with the same
/// <see cref="FeedbackCase.Id"/>, the append stores nothing and returns <see langword="false"/>. The check and the
/// write must be one atomic step, so two instances appending the same case concurrently store it once.
/// </remarks>
public interface IFeedbackCaseWriter
{
    /// <summary>Stores <paramref name="feedbackCase"/> unless a case with its id is already held.</summary>
    /// <param name="feedbackCase">The case; its id must not be <see langword="null"/> or empty.</param>
    /// <param name="cancellationToken">Stops the write before it is stored.</param>
    /// <returns><see langword="true"/> when the case was stored; <see langword="false"/> when a case with its id was already held (nothing changed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedbackCase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The case's <see cref="FeedbackCase.Id"/> is <see langword="null"/> or empty.</exception>
    ValueTask<bool> AppendAsync(FeedbackCase feedbackCase, CancellationToken cancellationToken = default);
}
