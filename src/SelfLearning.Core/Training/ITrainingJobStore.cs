namespace SelfLearning.Training;

/// <summary>
/// Where training jobs and their history live. Implementations check the state machine on every write and use
/// optimistic concurrency on <see cref="TrainingJob.Version"/>, so two writers never silently overwrite each other.
/// </summary>
public interface ITrainingJobStore
{
    /// <summary>Adds a new job, assigning its <see cref="TrainingJob.Sequence"/> and version 1.</summary>
    /// <param name="job">The job, in state <see cref="TrainingJobState.Queued"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored job.</returns>
    /// <exception cref="ArgumentException">The job is not queued, or its id already exists.</exception>
    ValueTask<TrainingJob> AddAsync(TrainingJob job, CancellationToken cancellationToken = default);

    /// <summary>Finds a job by id.</summary>
    /// <param name="jobId">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The job, or <see langword="null"/> when there is none.</returns>
    ValueTask<TrainingJob?> FindAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="job"/> if the stored version still equals <paramref name="job"/>'s
    /// <see cref="TrainingJob.Version"/>, recording a history entry when the state changed.
    /// </summary>
    /// <param name="job">The new record, carrying the version it was derived from.</param>
    /// <param name="reason">Why the state changed, for the history; <see langword="null"/> when self-evident.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored record with its new version, or <see langword="null"/> when another writer got there first.</returns>
    /// <exception cref="KeyNotFoundException">No job has that id.</exception>
    /// <exception cref="InvalidOperationException">The state change is not allowed.</exception>
    ValueTask<TrainingJob?> TryUpdateAsync(TrainingJob job, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Lists jobs in arrival order, optionally only one model's and only in some states.</summary>
    /// <param name="modelKey">Only this model's jobs; <see langword="null"/> for all.</param>
    /// <param name="states">Only jobs in these states; <see langword="null"/> or empty for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The jobs, by <see cref="TrainingJob.Sequence"/>.</returns>
    ValueTask<IReadOnlyList<TrainingJob>> ListAsync(
        string? modelKey = null,
        IReadOnlyCollection<TrainingJobState>? states = null,
        CancellationToken cancellationToken = default);

    /// <summary>Reads a job's state history, oldest first.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The transitions (empty for an unknown job).</returns>
    ValueTask<IReadOnlyList<TrainingJobTransition>> GetTransitionsAsync(string jobId, CancellationToken cancellationToken = default);
}
