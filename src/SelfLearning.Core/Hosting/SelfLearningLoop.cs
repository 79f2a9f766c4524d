using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Calibration;
using SelfLearning.Experiments;
using SelfLearning.Internal;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>
/// The default <see cref="ISelfLearningLoop"/>. One cycle per model runs at a time; every state change goes
/// through the registry and the experiment store first and is then published to the serving snapshot, so a
/// restarted host serves exactly what the stores say.
/// </summary>
internal sealed partial class SelfLearningLoop : ISelfLearningLoop, IDisposable
{
    private readonly IModelRegistry _registry;
    private readonly IExperimentStore _experiments;
    private readonly IExperimentDecisionEngine _decisions;
    private readonly ModelTypes _types;
    private readonly CaseSourceDataSource _data;
    private readonly ServingStates _serving;
    private readonly ISelfLearningEventPublisher _events;
    private readonly LiveMetrics _live;
    private readonly AutoRollbackPolicy _rollback;
    private readonly SelfLearningTelemetry _telemetry;
    private readonly SelfLearningOptions _options;
    private readonly MonitoringOptions _monitoring;
    private readonly IOptionsMonitor<SelfLearningModelOptions> _modelOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _cycleLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, int Version), ServedModel> _served = new();
    private readonly LiveErrorWindows _liveErrors;
    private readonly ITrainingJobStore _jobs;
    private readonly DriftWatch _drift;

    public SelfLearningLoop(
        IModelRegistry registry,
        IExperimentStore experiments,
        IExperimentDecisionEngine decisions,
        ModelTypes types,
        LiveErrorWindows liveErrors,
        ITrainingJobStore jobs,
        CaseSourceDataSource data,
        ServingStates serving,
        DriftWatch drift,
        ISelfLearningEventPublisher events,
        LiveMetrics live,
        AutoRollbackPolicy rollback,
        SelfLearningTelemetry telemetry,
        IOptions<SelfLearningOptions> options,
        IOptions<MonitoringOptions> monitoring,
        IOptionsMonitor<SelfLearningModelOptions> modelOptions,
        TimeProvider timeProvider,
        ILogger<SelfLearningLoop> logger)
    {
        _registry = Guard.NotNull(registry);
        _experiments = Guard.NotNull(experiments);
        _decisions = Guard.NotNull(decisions);
        _types = Guard.NotNull(types);
        _liveErrors = Guard.NotNull(liveErrors);
        _jobs = Guard.NotNull(jobs);
        _data = Guard.NotNull(data);
        _serving = Guard.NotNull(serving);
        _drift = Guard.NotNull(drift);
        _events = Guard.NotNull(events);
        _live = Guard.NotNull(live);
        _rollback = Guard.NotNull(rollback);
        _telemetry = Guard.NotNull(telemetry);
        _options = Guard.NotNull(options).Value;
        _monitoring = Guard.NotNull(monitoring).Value;
        _modelOptions = Guard.NotNull(modelOptions);
        _time = Guard.NotNull(timeProvider);
        _logger = Guard.NotNull(logger);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        foreach (string name in _serving.Names)
        {
            await RefreshServingAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<SelfLearningCycleResult> RunCycleAsync(string modelName, CancellationToken cancellationToken = default)
    {
        ModelServingState state = _serving.Get(modelName);
        SemaphoreSlim gate = _cycleLocks.GetOrAdd(modelName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var activity = SelfLearningTelemetry.ActivitySource.StartActivity("SelfLearning.Cycle");
        activity?.SetTag("selflearning.model", modelName);
        try
        {
            if (state.Snapshot is null)
            {
                await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
            }

            SelfLearningModelOptions options = _modelOptions.Get(modelName);
            CycleInputs inputs = await WatchAsync(modelName, options, cancellationToken).ConfigureAwait(false);
            // The champion is watched first, also while a canary runs: production must never silently get worse.
            SelfLearningCycleResult result =
                await WatchChampionAsync(modelName, cancellationToken).ConfigureAwait(false)
                ?? await DecideExperimentAsync(modelName, cancellationToken).ConfigureAwait(false)
                ?? await TrainAsync(modelName, options, inputs, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("selflearning.outcome", result.Outcome.ToString());
            HostingLog.CycleFinished(_logger, modelName, result.Outcome);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    public LiveMetricsSnapshot? GetLiveMetrics(string modelName, int version)
    {
        string model = _serving.Get(modelName).ModelName;
        return _live.TryGetWindow(model, version.ToString(CultureInfo.InvariantCulture), out var window) ? window.Snapshot() : null;
    }

    public void Dispose()
    {
        foreach (var gate in _cycleLocks.Values)
        {
            gate.Dispose();
        }
    }

    private async Task<Experiment?> FindRunningExperimentAsync(string modelName, CancellationToken cancellationToken)
    {
        foreach (var experiment in await _experiments.ListExperimentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (experiment.Status == ExperimentStatus.Running && string.Equals(experiment.Definition.ModelName, modelName, StringComparison.Ordinal))
            {
                return experiment;
            }
        }

        return null;
    }

    private async Task RefreshServingAsync(string modelName, CancellationToken cancellationToken)
    {
        ModelServingState state = _serving.Get(modelName);
        ModelVersion? champion = await _registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        ServedModel? championModel = champion is null ? null : await LoadServedAsync(modelName, champion.Version, cancellationToken).ConfigureAwait(false);
        Experiment? experiment = await FindRunningExperimentAsync(modelName, cancellationToken).ConfigureAwait(false);
        ServedModel? challenger = experiment is null ? null : await LoadServedAsync(modelName, ParseVersion(experiment.Definition.ChallengerVersion), cancellationToken).ConfigureAwait(false);
        _drift.Track(modelName, state.TaskKind == TaskKind.ScoreCalibration ? champion : null);
        state.Publish(new ServingSnapshot(championModel, experiment, challenger));
    }

    /// <summary>Loads a registered version (SHA-256 verified by the registry) through the model's type, once per version.</summary>
    private async Task<ServedModel> LoadServedAsync(string modelName, int version, CancellationToken cancellationToken)
    {
        if (_served.TryGetValue((modelName, version), out var cached))
        {
            return cached;
        }

        ReadOnlyMemory<byte> artifact = await _registry.OpenArtifactAsync(modelName, version, cancellationToken).ConfigureAwait(false);
        ModelType type = _types.Get(_modelOptions.Get(modelName).TrainerType);
        PackagedArtifact package = PackagedArtifact.Read(artifact.Span, type.Key);
        return _served.GetOrAdd((modelName, version), ServedModel.Load(version, type, package));
    }

    private RegistryChange Change(string reason) => new(_options.Actor, Truncate(reason));

    private void Publish(SelfLearningEventKind kind, string modelName, int? version, string message, IReadOnlyDictionary<string, object?>? properties = null) =>
        _events.Publish(new SelfLearningEvent(kind, _time.GetUtcNow(), modelName, version?.ToString(CultureInfo.InvariantCulture), message, properties));

    private static int ParseVersion(string version) => int.Parse(version, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= RegistryNames.MaxTextLength ? text : text[..(RegistryNames.MaxTextLength - 1)] + "…";

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
