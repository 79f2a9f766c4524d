using System.Globalization;
using SelfLearning.Cases;
using SelfLearning.Evaluation;
using SelfLearning.Experiments;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>The learning half of a cycle: trigger, collect, train, evaluate, gate, register, start the canary.</summary>
internal sealed partial class SelfLearningLoop
{
    private async Task<SelfLearningCycleResult> TrainAsync(string modelName, SelfLearningModelOptions options, CycleInputs inputs, CancellationToken cancellationToken)
    {
        ModelVersion? champion = await _registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        var completed = await _jobs.ListAsync(modelName, [TrainingJobState.Completed], cancellationToken).ConfigureAwait(false);
        DateTimeOffset? lastTraining = completed.Count > 0 ? completed[^1].StartedAt : inputs.Latest?.CreatedAt;
        var (trigger, reason) = TrainingTrigger.Decide(
            options, inputs.Latest is not null, inputs.NewCases, lastTraining, _time.GetUtcNow(), inputs.Drifted && options.RetrainOnDrift && !UnderRollbackWatch(modelName, champion));
        if (trigger is not TrainingTriggerKind kind)
        {
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.Idle, champion?.Version, null, null, reason);
        }

        TrainingJob job = await StartJobAsync(modelName, options, kind, reason, cancellationToken).ConfigureAwait(false);
        if (kind == TrainingTriggerKind.Drift)
        {
            // The retraining handles the error-rate change; a score shift stays visible until a new champion brings its own reference.
            _drift.Get(modelName)?.Errors.Acknowledge();
        }

        var (collected, failure) = await InJobAsync(job, options, ct => _data.CollectAsync(inputs.Watermark, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        return failure is not null
            ? new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.TrainingFailed, null, null, null, failure)
            : await CycleFromDatasetAsync(modelName, options, job, collected!.Snapshot!, collected.Watermark, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The part of a cycle after collection, on its own for the cycle benchmark: a manual training job on a
    /// collected snapshot, then evaluation, gate and registration exactly as <see cref="RunCycleAsync"/> does.
    /// </summary>
    internal async Task<SelfLearningCycleResult> CycleFromDatasetAsync(string modelName, DatasetSnapshot snapshot, CaseWatermark watermark, CancellationToken cancellationToken = default)
    {
        _serving.Get(modelName);
        SemaphoreSlim gate = _cycleLocks.GetOrAdd(modelName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SelfLearningModelOptions options = _modelOptions.Get(modelName);
            TrainingJob job = await StartJobAsync(modelName, options, TrainingTriggerKind.Manual, "Training on a collected dataset.", cancellationToken).ConfigureAwait(false);
            return await CycleFromDatasetAsync(modelName, options, job, snapshot, watermark, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Snapshot → training data → candidate (inside the running <paramref name="job"/>) → candidate and champion
    /// scored on the same held-out cases → gate → registration, then rejection, first champion or canary.
    /// </summary>
    private async Task<SelfLearningCycleResult> CycleFromDatasetAsync(
        string modelName, SelfLearningModelOptions options, TrainingJob job, DatasetSnapshot snapshot, CaseWatermark watermark, CancellationToken cancellationToken)
    {
        ModelVersion? champion = await _registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        ModelType type = _types.Get(options.TrainerType);
        var (run, failure) = await InJobAsync(
            job,
            options,
            async ct =>
            {
                CycleDataset frozen = _data.Freeze(modelName, type.TaskKind, snapshot, watermark);
                TrainingResult result = await type.Trainer
                    .TrainAsync(new TrainingContext(frozen.Data, options.Parameters, options.Seed, null, _logger), ct).ConfigureAwait(false);
                var (package, candidate) = CandidatePackaging.Package(type, result.Artifact, frozen.Data, options.Gate, options.Seed);
                return (Dataset: frozen, Trained: result, Package: package, Candidate: candidate);
            },
            cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.TrainingFailed, null, null, null, failure);
        }

        var (dataset, trained, packaged, served) = run;

        job = await WriteJobAsync(
            job.TransitionTo(TrainingJobState.Completed, _time.GetUtcNow()) with { Metrics = trained.ValidationMetrics, ParametersUsed = trained.Parameters, LeaseOwner = null },
            Format($"Trained on dataset {dataset.DatasetHash}.")).ConfigureAwait(false);

        ServedModel? championModel = champion is null ? null : await LoadServedAsync(modelName, champion.Version, cancellationToken).ConfigureAwait(false);
        CandidateEvaluation evaluation = ChampionChallengerEvaluation.Evaluate(
            type.TaskKind, dataset.Holdout, dataset.Data.Training, served, championModel, options.Gate, options.ScoreSource);
        QualityGateVerdict verdict = evaluation.Verdict;
        string against = champion is not null ? $"champion version {champion.Version}" : Baseline(type.TaskKind);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HostingConstants.WatermarkTag] = dataset.Watermark,
            [HostingConstants.GateTag] = verdict.Passed ? "passed" : "failed",
        };
        if (type.TaskKind == TaskKind.ScoreCalibration)
        {
            tags[HostingConstants.ReferenceScoresTag] = ReferenceScores.Format(dataset.Holdout.Scores);
        }

        var registration = new ModelRegistration
        {
            Name = modelName,
            CreatedBy = _options.Actor,
            Metrics = evaluation.Metrics,
            Parameters = trained.Parameters.Values,
            Tags = tags,
            Lineage = new ModelLineage { DatasetHash = dataset.DatasetHash, TrainerType = options.TrainerType, ParentVersion = champion?.Version, TrainingJobId = job.Id },
            EvaluationReport = verdict.ToJson(),
        };
        ModelVersion registered = await _registry.RegisterAsync(registration, packaged.ToBytes(), null, cancellationToken).ConfigureAwait(false);
        int version = registered.Version;

        if (!verdict.Passed)
        {
            string failures = string.Join(" ", verdict.Failures.Select(f => f.Detail));
            await _registry.SetStageAsync(modelName, version, ModelStage.Rejected, Change($"Quality gate failed against {against}: {failures}"), cancellationToken).ConfigureAwait(false);
            string message = $"Version {version} rejected by the quality gate against {against}: {failures}";
            Publish(SelfLearningEventKind.CandidateRejected, modelName, version, message);
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.CandidateRejected, version, verdict, null, message);
        }

        if (champion is not null && type.TaskKind == TaskKind.Clustering)
        {
            // A clustering has no outcomes to canary on: it is promoted on the gate.
            await _registry.ActivateAsync(modelName, version, Change($"Passed the quality gate against {against}; a clustering is promoted on the gate."), cancellationToken).ConfigureAwait(false);
            await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
            string promoted = Format($"Version {version} replaces {against}: it passed the quality gate on {verdict.HoldoutSize} held-out cases (a clustering has no canary).");
            Publish(SelfLearningEventKind.Promoted, modelName, version, promoted);
            _telemetry.RecordPromotion(modelName, registered.Version.ToString(CultureInfo.InvariantCulture));
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.Promoted, version, verdict, null, promoted);
        }

        if (champion is null)
        {
            await _registry.ActivateAsync(modelName, version, Change($"First version: passed the quality gate against {against}."), cancellationToken).ConfigureAwait(false);
            await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
            string message = Format($"Version {version} is the first champion: it passed the quality gate against {against} on {verdict.HoldoutSize} held-out cases.");
            Publish(SelfLearningEventKind.Promoted, modelName, version, message);
            _telemetry.RecordPromotion(modelName, registered.Version.ToString(CultureInfo.InvariantCulture));
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.FirstChampion, version, verdict, null, message);
        }

        await _registry.SetStageAsync(modelName, version, ModelStage.Challenger, Change($"Passed the quality gate against {against}; canary starts."), cancellationToken).ConfigureAwait(false);
        var definition = new ExperimentDefinition
        {
            Key = Format($"{modelName}.v{version}"),
            ModelName = modelName,
            ChampionVersion = champion.Version.ToString(CultureInfo.InvariantCulture),
            ChallengerVersion = version.ToString(CultureInfo.InvariantCulture),
            Ramp = new CanaryRamp([.. options.RampShares], options.MinimumSamplesPerArm, options.MinimumStepDuration),
            MaximumDuration = options.MaximumExperimentDuration,
            PrimaryMetric = type.TaskKind == TaskKind.Regression
                ? ExperimentMetric.Continuous(HostingConstants.AbsoluteErrorMetric, higherIsBetter: false)
                : ExperimentMetric.Continuous(HostingConstants.BrierMetric, higherIsBetter: false),
            Guardrails = type.TaskKind == TaskKind.Regression ? [] : [ExperimentMetric.SuccessRate(HostingConstants.AccuracyMetric)],
            PlannedSampleSizePerArm = Math.Max(2, options.MinimumSamplesPerArm * options.RampShares.Count),
        };
        await _experiments.SaveExperimentAsync(Experiment.Start(definition, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
        string started = Format($"Version {version} passed the quality gate against {against} and serves {options.RampShares[0]:P0} of traffic as challenger in canary '{definition.Key}'.");
        Publish(SelfLearningEventKind.JobCompleted, modelName, version, started);
        return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.ChallengerStarted, version, verdict, null, started);
    }

    /// <summary>What a first candidate of a task is gated against.</summary>
    private static string Baseline(TaskKind task) => task switch
    {
        TaskKind.ScoreCalibration => "the uncalibrated baseline",
        TaskKind.BinaryClassification or TaskKind.MulticlassClassification => "the class-prior baseline",
        TaskKind.Regression => "the mean-target baseline",
        _ => "no champion",
    };

    /// <summary>
    /// Whether the champion's live window holds outcomes but fewer than the rollback rule needs: a drifted champion is first
    /// given to the rollback watch (a canary started now would stop the watch until it ends), so drift retrains only once
    /// the rule could judge it, or when the host records no outcomes at all.
    /// </summary>
    private bool UnderRollbackWatch(string modelName, ModelVersion? champion) =>
        champion is not null
        && _live.TryGetWindow(modelName, champion.Version.ToString(CultureInfo.InvariantCulture), out var window)
        && window.Snapshot().Count is > 0 and var count
        && count < _drift.RollbackMinimumLiveSample;

    /// <summary>Records a training job for <paramref name="trigger"/> and marks it running.</summary>
    private async Task<TrainingJob> StartJobAsync(string modelName, SelfLearningModelOptions options, TrainingTriggerKind trigger, string reason, CancellationToken cancellationToken)
    {
        DateTimeOffset queued = _time.GetUtcNow();
        TrainingJob job = await _jobs.AddAsync(
            new TrainingJob
            {
                Id = Guid.NewGuid().ToString("N"),
                ModelKey = modelName,
                ModelType = options.TrainerType,
                State = TrainingJobState.Queued,
                Trigger = trigger,
                Parameters = options.Parameters,
                Seed = options.Seed,
                CreatedAt = queued,
                UpdatedAt = queued,
            },
            cancellationToken).ConfigureAwait(false);
        DateTimeOffset started = _time.GetUtcNow();
        return await WriteJobAsync(job.TransitionTo(TrainingJobState.Running, started) with { StartedAt = started, Attempts = 1, LeaseOwner = _options.Actor }, reason).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one step of a running job (collection, or training): a failure ends the job Failed with its reason and
    /// publishes <see cref="SelfLearningEventKind.JobFailed"/>; shutdown ends it Cancelled and the cancellation
    /// propagates. Nothing is registered unless the job completed.
    /// </summary>
    private async Task<(T? Value, string? Failure)> InJobAsync<T>(TrainingJob job, SelfLearningModelOptions options, Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return (await step(cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await WriteJobAsync(
                job.TransitionTo(TrainingJobState.Cancelled, _time.GetUtcNow()) with { LeaseOwner = null },
                "The host stopped during training; nothing was registered.").ConfigureAwait(false);
            HostingLog.TrainingCancelled(_logger, job.ModelKey);
            throw;
        }
#pragma warning disable CA1031 // A failed training run is recorded and reported and the champion keeps serving; the next cycle tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            HostingLog.TrainingFailed(_logger, e, job.ModelKey, options.TrainerType);
            string message = $"Training job '{job.Id}' (trainer '{options.TrainerType}') failed: {e.Message}";
            await WriteJobAsync(
                job.TransitionTo(TrainingJobState.Failed, _time.GetUtcNow()) with { FailureReason = Truncate(e.Message), LeaseOwner = null },
                e.GetType().Name).ConfigureAwait(false);
            Publish(SelfLearningEventKind.JobFailed, job.ModelKey, null, message);
            return (default, message);
        }
    }

    /// <summary>Writes a job the loop owns; its own writes cannot conflict, so a conflict means another writer touched the job.</summary>
    private async Task<TrainingJob> WriteJobAsync(TrainingJob job, string? reason) =>
        await _jobs.TryUpdateAsync(job, reason, CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Training job '{job.Id}' of model '{job.ModelKey}' was changed by another writer while the loop ran it.");
}
