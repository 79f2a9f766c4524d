using System.Globalization;
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

    /// <summary>The registry version of an experiment arm the loop started (its versions are the registry's numbers as text).</summary>
    public static int RegistryVersion(string armVersion) => int.Parse(armVersion, NumberStyles.None, CultureInfo.InvariantCulture);
}
