using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Evaluation;
using SelfLearning.Experiments;
using SelfLearning.Internal;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>
/// The default <see cref="ISelfLearningLoop"/>: one cycle per model at a time, as a short sequence of the stages'
/// services — the champion watch (Monitoring), the canary (Experiments), the trigger rules and the training job
/// (Training), the champion–challenger evaluation (Evaluation) and the rollout (Experiments). Every state change goes
/// through the stores first and is then published to the serving snapshot, so a restarted host serves exactly what
/// the stores say.
/// </summary>
internal sealed class SelfLearningLoop(
    IModelRegistry registry,
    ServingStates serving,
    ServedVersions served,
    ChampionWatch watch,
    RolloutCoordinator rollout,
    TrainingTriggers triggers,
    CandidateBuilder candidates,
    LoopTrainingData trainingData,
    LiveMetrics live,
    IOptionsMonitor<SelfLearningModelOptions> modelOptions,
    ILogger<SelfLearningLoop> logger) : ISelfLearningLoop, IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _cycleLocks = new(StringComparer.Ordinal);

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        candidates.Start();
        foreach (string name in serving.Names)
        {
            await InCycleLockAsync(
                name,
                async ct =>
                {
                    await served.RefreshAsync(name, ct).ConfigureAwait(false);
                    await rollout.RecoverAsync(name, ct).ConfigureAwait(false);
                    return 0;
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<SelfLearningCycleResult> RunCycleAsync(string modelName, CancellationToken cancellationToken = default)
    {
        ModelServingState state = serving.Get(modelName);
        return InCycleLockAsync(modelName, ct => CycleAsync(state, ct), cancellationToken);
    }

    public LiveMetricsSnapshot? GetLiveMetrics(string modelName, int version)
    {
        string model = serving.Get(modelName).ModelName;
        return live.TryGetWindow(model, version, out var window) ? window.Snapshot() : null;
    }

    /// <summary>
    /// The part of a cycle after collection, on its own for the cycle benchmark: a manual training job on an already
    /// collected snapshot, then evaluation, gate and rollout exactly as <see cref="RunCycleAsync"/> does.
    /// </summary>
    internal Task<SelfLearningCycleResult> CycleFromDatasetAsync(string modelName, CaseCollectionResult collected, CancellationToken cancellationToken = default)
    {
        serving.Get(modelName);
        return InCycleLockAsync(
            modelName,
            async ct =>
            {
                SelfLearningModelOptions options = modelOptions.Get(modelName);
                ModelVersion? champion = await registry.GetChampionAsync(modelName, ct).ConfigureAwait(false);
                trainingData.Supply(modelName, collected);
                var built = await candidates.BuildAsync(modelName, options, TrainingTriggerKind.Manual, ct).ConfigureAwait(false);
                return await JudgeAndRollOutAsync(modelName, options, champion, built, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public void Dispose()
    {
        foreach (var gate in _cycleLocks.Values)
        {
            gate.Dispose();
        }
    }

    /// <summary>One cycle: watch the champion, advance the canary, or decide, train, judge and roll out a candidate.</summary>
    private async Task<SelfLearningCycleResult> CycleAsync(ModelServingState state, CancellationToken cancellationToken)
    {
        string model = state.ModelName;
        using var activity = SelfLearningTelemetry.ActivitySource.StartActivity("SelfLearning.Cycle");
        activity?.SetTag("selflearning.model", model);
        if (state.Snapshot is null)
        {
            await served.RefreshAsync(model, cancellationToken).ConfigureAwait(false);
        }

        await rollout.RecoverAsync(model, cancellationToken).ConfigureAwait(false);
        SelfLearningModelOptions options = modelOptions.Get(model);
        CycleObservation seen = await watch.ObserveAsync(model, options, cancellationToken).ConfigureAwait(false);

        // The champion is watched first, also while a canary runs: production must never silently get worse.
        SelfLearningCycleResult result =
            await watch.CheckAsync(model, cancellationToken).ConfigureAwait(false)
            ?? await rollout.AdvanceAsync(model, cancellationToken).ConfigureAwait(false)
            ?? await TrainAsync(model, options, seen, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("selflearning.outcome", result.Outcome.ToString());
        HostingLog.CycleFinished(logger, model, result.Outcome);
        return result;
    }

    /// <summary>Trigger → training job → candidate and champion judged on the same held-out cases → rollout.</summary>
    private async Task<SelfLearningCycleResult> TrainAsync(string model, SelfLearningModelOptions options, CycleObservation seen, CancellationToken cancellationToken)
    {
        ModelVersion? champion = await registry.GetChampionAsync(model, cancellationToken).ConfigureAwait(false);
        var (trigger, reason) = await candidates.FindOperatorJobAsync(model, cancellationToken).ConfigureAwait(false) is { } requested
            ? (requested.Trigger, LoopEvents.Format($"Training job '{requested.Id}' was started by an operator."))
            : await triggers.DecideAsync(model, options, seen.Latest, seen.NewCases, seen.Drifted, cancellationToken).ConfigureAwait(false);
        if (trigger is not TrainingTriggerKind kind)
        {
            return new SelfLearningCycleResult(model, SelfLearningCycleOutcome.Idle, champion?.Version, null, null, reason);
        }

        if (kind == TrainingTriggerKind.Drift)
        {
            // The retraining handles the error-rate change; a score shift stays visible until a new champion brings its own reference.
            watch.AcknowledgeDrift(model);
        }

        return await JudgeAndRollOutAsync(model, options, champion, await candidates.BuildAsync(model, options, kind, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    private async Task<SelfLearningCycleResult> JudgeAndRollOutAsync(
        string model, SelfLearningModelOptions options, ModelVersion? champion, (Candidate? Candidate, string? Failure) built, CancellationToken cancellationToken)
    {
        if (built.Candidate is not { } candidate)
        {
            return new SelfLearningCycleResult(model, SelfLearningCycleOutcome.TrainingFailed, null, null, null, built.Failure!);
        }

        ServedModel? championModel = champion is null ? null : await served.LoadAsync(model, champion.Version, cancellationToken).ConfigureAwait(false);
        CandidateEvaluation evaluation = ChampionChallengerEvaluation.Evaluate(
            candidate.Type.TaskKind, candidate.Dataset.Holdout, candidate.Dataset.Data.Training, candidate.Served, championModel, options.Gate, options.ScoreSource);
        return await rollout.StartAsync(model, options, candidate, evaluation, champion, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> InCycleLockAsync<T>(string modelName, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        Guard.NotNull(modelName);
        SemaphoreSlim gate = _cycleLocks.GetOrAdd(modelName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
