using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>The reads of an <see cref="IExperimentStore"/> the loop's stages share.</summary>
internal static class ExperimentStoreQueries
{
    /// <summary>Finds the running experiment of <paramref name="modelName"/> (the loop runs at most one per model), or <see langword="null"/>.</summary>
    public static async Task<Experiment?> FindRunningAsync(this IExperimentStore store, string modelName, CancellationToken cancellationToken)
    {
        Guard.NotNull(store);
        foreach (var experiment in await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (experiment.Status == ExperimentStatus.Running && string.Equals(experiment.Definition.ModelName, modelName, StringComparison.Ordinal))
            {
                return experiment;
            }
        }

        return null;
    }
}
