using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// The checks every <see cref="ITrainingJobStore"/> makes, public so that the in-memory store, the SQLite store and
/// a host's own store (SQL Server, Cosmos DB, …) refuse exactly the same writes with the same errors.
/// </summary>
internal static class TrainingJobStoreChecks
{
    /// <summary>Refuses a job that cannot be added: only a queued job may be added.</summary>
    /// <param name="job">The job passed to <see cref="ITrainingJobStore.AddAsync"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="job"/> is null.</exception>
    /// <exception cref="ArgumentException">The job is not <see cref="TrainingJobState.Queued"/>.</exception>
    public static void EnsureNew(TrainingJob job)
    {
        Guard.NotNull(job);
        if (job.State != TrainingJobState.Queued)
        {
            throw new ArgumentException($"A new training job must be Queued, but '{job.Id}' is {job.State}.", nameof(job));
        }
    }

    /// <summary>
    /// Refuses an update of <paramref name="current"/> (the stored record, at the version <paramref name="job"/> was
    /// derived from) to <paramref name="job"/> that changes the job's identity or makes a move the state machine forbids.
    /// </summary>
    /// <param name="current">The stored record.</param>
    /// <param name="job">The record passed to <see cref="ITrainingJobStore.TryUpdateAsync"/>.</param>
    /// <exception cref="ArgumentException">The model, model type or sequence differ.</exception>
    /// <exception cref="InvalidOperationException">The state change is not allowed (see <see cref="TrainingJobTransitions"/>).</exception>
    public static void EnsureUpdateAllowed(TrainingJob current, TrainingJob job)
    {
        Guard.NotNull(current);
        Guard.NotNull(job);
        if (!string.Equals(current.ModelKey, job.ModelKey, StringComparison.Ordinal)
            || !string.Equals(current.ModelType, job.ModelType, StringComparison.Ordinal)
            || current.Sequence != job.Sequence)
        {
            throw new ArgumentException(
                $"Training job '{job.Id}' cannot change its model, model type or sequence once stored.", nameof(job));
        }

        if (current.State != job.State)
        {
            TrainingJobTransitions.EnsureAllowed(job.Id, current.State, job.State);
        }
    }
}
