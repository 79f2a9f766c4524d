namespace SelfLearning.Training;

/// <summary>
/// Supplies a job's data when it starts (and again on a retry or after recovery), typically by freezing the model's
/// validated cases into a dataset snapshot and adapting it to <see cref="TrainingData"/>.
/// </summary>
public interface ITrainingDataProvider
{
    /// <summary>Gets the training and validation data for <paramref name="job"/>.</summary>
    /// <param name="job">The job about to run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The data.</returns>
    ValueTask<TrainingData> GetDataAsync(TrainingJob job, CancellationToken cancellationToken);
}
