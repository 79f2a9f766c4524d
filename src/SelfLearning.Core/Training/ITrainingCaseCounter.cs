namespace SelfLearning.Training;

/// <summary>Counts a model's validated cases, so triggers can require a minimum and react to new ones.</summary>
internal interface ITrainingCaseCounter
{
    /// <summary>Counts the validated cases available to train <paramref name="modelKey"/>.</summary>
    /// <param name="modelKey">The model.</param>
    /// <param name="validatedAfter">Only cases validated after this instant; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <returns>The number of cases.</returns>
    ValueTask<long> CountValidatedCasesAsync(string modelKey, DateTimeOffset? validatedAfter, CancellationToken cancellationToken);
}
