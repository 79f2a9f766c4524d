namespace SelfLearning.Training;

/// <summary>The checks every <see cref="ITrainingJobStore"/> makes, shared so the in-memory and SQLite stores agree.</summary>
internal static class TrainingJobStoreChecks
{
    public static void EnsureNew(TrainingJob job)
    {
        if (job.State != TrainingJobState.Queued)
        {
            throw new ArgumentException($"A new training job must be Queued, but '{job.Id}' is {job.State}.", nameof(job));
        }
    }

    public static void EnsureSameIdentity(TrainingJob current, TrainingJob updated)
    {
        if (!string.Equals(current.ModelKey, updated.ModelKey, StringComparison.Ordinal)
            || !string.Equals(current.ModelType, updated.ModelType, StringComparison.Ordinal)
            || current.Sequence != updated.Sequence)
        {
            throw new ArgumentException(
                $"Training job '{updated.Id}' cannot change its model, model type or sequence once stored.", nameof(updated));
        }
    }
}
