using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Serving;

/// <summary>
/// The serving stage of the loop: loads each live version once through its model type (the registry verifies the
/// artifact's SHA-256 first), and publishes what the stores say serves — the champion, the running canary and its
/// challenger — to the lock-free serving snapshot the prediction service reads.
/// </summary>
internal sealed class ServedVersions(
    IModelRegistry registry,
    IExperimentStore experiments,
    ModelTypes types,
    ServingStates serving,
    DriftWatch drift,
    IOptionsMonitor<SelfLearningModelOptions> modelOptions)
{
    private readonly ConcurrentDictionary<(string Model, int Version), ServedModel> _loaded = new();

    /// <summary>Publishes the current champion and canary of <paramref name="modelName"/> from the stores.</summary>
    public async Task RefreshAsync(string modelName, CancellationToken cancellationToken)
    {
        ModelServingState state = serving.Get(modelName);
        ModelVersion? champion = await registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        ServedModel? championModel = champion is null ? null : await LoadAsync(modelName, champion.Version, cancellationToken).ConfigureAwait(false);
        Experiment? experiment = await experiments.FindRunningAsync(modelName, cancellationToken).ConfigureAwait(false);
        ServedModel? challenger = experiment is null
            ? null
            : await LoadAsync(modelName, experiment.Definition.ChallengerVersion, cancellationToken).ConfigureAwait(false);
        drift.Track(modelName, state.TaskKind == TaskKind.ScoreCalibration ? champion : null);
        state.Publish(new ServingSnapshot(championModel, experiment, challenger));
    }

    /// <summary>Loads a registered version through the model's type, once per version.</summary>
    public async Task<ServedModel> LoadAsync(string modelName, int version, CancellationToken cancellationToken)
    {
        Guard.NotNull(modelName);
        if (_loaded.TryGetValue((modelName, version), out var cached))
        {
            return cached;
        }

        ReadOnlyMemory<byte> artifact = await registry.OpenArtifactAsync(modelName, version, cancellationToken).ConfigureAwait(false);
        ModelType type = types.Get(modelOptions.Get(modelName).TrainerType);
        PackagedArtifact package = PackagedArtifact.Read(artifact.Span, type.Key);
        return _loaded.GetOrAdd((modelName, version), ServedModel.Load(version, type, package));
    }
}
