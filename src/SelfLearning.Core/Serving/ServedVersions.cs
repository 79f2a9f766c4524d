using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
/// <remarks>
/// Besides the loop's own refreshes, a champion or stage change the registry reports (<see cref="IModelRegistry.Changed"/>:
/// an operator's activation or rollback, or, on a registry shared by several instances, another instance's promotion)
/// refreshes that model in the background. Refreshes of one model run one at a time, so the last to run publishes the
/// latest committed state and a slow refresh can never publish an older champion over a newer one.
/// </remarks>
internal sealed class ServedVersions : IDisposable
{
    private readonly ConcurrentDictionary<(string Model, int Version), ServedModel> _loaded = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshGates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<int>> _refreshQueued = new(StringComparer.Ordinal);
    private readonly IModelRegistry registry;
    private readonly IExperimentStore experiments;
    private readonly ModelTypes types;
    private readonly ServingStates serving;
    private readonly DriftWatch drift;
    private readonly IOptionsMonitor<SelfLearningModelOptions> modelOptions;
    private readonly ILogger logger;

    public ServedVersions(
        IModelRegistry registry,
        IExperimentStore experiments,
        ModelTypes types,
        ServingStates serving,
        DriftWatch drift,
        IOptionsMonitor<SelfLearningModelOptions> modelOptions,
        ILogger<ServedVersions>? logger = null)
    {
        this.registry = registry;
        this.experiments = experiments;
        this.types = types;
        this.serving = serving;
        this.drift = drift;
        this.modelOptions = modelOptions;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        registry.Changed += OnRegistryChanged;
    }

    /// <summary>Publishes the current champion and canary of <paramref name="modelName"/> from the stores.</summary>
    public async Task RefreshAsync(string modelName, CancellationToken cancellationToken)
    {
        ModelServingState state = serving.Get(modelName);
        SemaphoreSlim gate = _refreshGates.GetOrAdd(modelName, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ModelVersion? champion = await registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
            ServedModel? championModel = champion is null ? null : await LoadAsync(modelName, champion.Version, cancellationToken).ConfigureAwait(false);
            Experiment? experiment = await experiments.FindRunningAsync(modelName, cancellationToken).ConfigureAwait(false);
            ServedModel? challenger = experiment is null
                ? null
                : await LoadAsync(modelName, experiment.Definition.ChallengerVersion, cancellationToken).ConfigureAwait(false);
            drift.Track(modelName, state.TaskKind == TaskKind.ScoreCalibration ? champion : null);
            state.Publish(new ServingSnapshot(championModel, experiment, challenger));
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        registry.Changed -= OnRegistryChanged;
        foreach (SemaphoreSlim gate in _refreshGates.Values)
        {
            gate.Dispose();
        }
    }

    private void OnRegistryChanged(object? sender, ModelRegistryChangedEventArgs e)
    {
        if (e.Kind is ModelChangeKind.ChampionChanged or ModelChangeKind.StageChanged && serving.Names.Contains(e.Name, StringComparer.Ordinal))
        {
            QueueRefresh(e.Name);
        }
    }

    /// <summary>Refreshes a model in the background; changes reported while one is queued join it, and one reported while it runs queues the next.</summary>
    private void QueueRefresh(string modelName)
    {
        StrongBox<int> queued = _refreshQueued.GetOrAdd(modelName, static _ => new StrongBox<int>());
        if (Interlocked.Exchange(ref queued.Value, 1) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                Volatile.Write(ref queued.Value, 0);
                await RefreshAsync(modelName, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A background refresh must not fault unobserved; the model keeps serving what it served, and the next change or cycle refreshes it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                HostingLog.ServingRefreshFailed(logger, ex, modelName);
            }
        });
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
