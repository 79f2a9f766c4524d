namespace SelfLearning.Monitoring;

/// <summary>Reads the last finished training job (wired to the job store).</summary>
internal interface ILastTrainingJobProvider
{
    /// <summary>Gets the last finished job, or <see langword="null"/> before any job has finished.</summary>
    ValueTask<TrainingJobInfo?> GetLastFinishedJobAsync(CancellationToken cancellationToken);
}
