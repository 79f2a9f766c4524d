using System.Globalization;
using System.Text;
using SelfLearning.Calibration;
using SelfLearning.Evaluation;
using SelfLearning.Experiments;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>The learning half of a cycle: trigger, collect, train, evaluate, gate, register, start the canary.</summary>
internal sealed partial class SelfLearningLoop
{
    private async Task<SelfLearningCycleResult> TrainAsync(string modelName, SelfLearningModelOptions options, CancellationToken cancellationToken)
    {
        ModelVersion? champion = await _registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        ModelVersion? latest = await LatestVersionAsync(modelName, cancellationToken).ConfigureAwait(false);
        string? watermark = latest is not null && latest.Tags.TryGetValue(HostingConstants.WatermarkTag, out string? w) ? w : null;
        long newCases = await _data.CountNewCasesAsync(watermark, cancellationToken).ConfigureAwait(false);
        var completed = await _jobs.ListAsync(modelName, [TrainingJobState.Completed], cancellationToken).ConfigureAwait(false);
        DateTimeOffset? lastTraining = completed.Count > 0 ? completed[^1].StartedAt : latest?.CreatedAt;
        var (trigger, reason) = TrainingTrigger.Decide(options, latest is not null, newCases, lastTraining, _time.GetUtcNow());
        if (trigger is not TrainingTriggerKind kind)
        {
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.Idle, champion?.Version, null, null, reason);
        }

        var (job, dataset, trained, failure) = await RunTrainingJobAsync(modelName, options, kind, reason, watermark, cancellationToken).ConfigureAwait(false);
        if (dataset is null || trained is null)
        {
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.TrainingFailed, null, null, null, failure ?? string.Empty);
        }

        ICalibrator candidate = CalibratorSerializer.Deserialize(Encoding.UTF8.GetString(trained.Artifact.Content.Span));
        double[] candidateProbability = new double[dataset.HoldoutScores.Length];
        candidate.Calibrate(dataset.HoldoutScores, candidateProbability);
        double[] championProbability;
        if (champion is null)
        {
            championProbability = UncalibratedBaseline.Probabilities(dataset.HoldoutScores);
        }
        else
        {
            championProbability = new double[dataset.HoldoutScores.Length];
            (await LoadCalibratorAsync(modelName, champion.Version, cancellationToken).ConfigureAwait(false)).Calibrate(dataset.HoldoutScores, championProbability);
        }

        QualityGateOptions gate = options.Gate;
        QualityGateVerdict verdict = QualityGate.Evaluate(championProbability, candidateProbability, dataset.HoldoutOutcomes, gate);
        string against = champion is null ? "the uncalibrated baseline" : $"champion version {champion.Version}";
        var registration = new ModelRegistration
        {
            Name = modelName,
            CreatedBy = _options.Actor,
            Metrics = new Dictionary<string, double>(verdict.CandidateMetrics, StringComparer.Ordinal) { [HostingConstants.HoldoutSizeMetric] = verdict.HoldoutSize },
            Parameters = trained.Parameters.Values,
            Tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [HostingConstants.WatermarkTag] = dataset.Watermark,
                [HostingConstants.GateTag] = verdict.Passed ? "passed" : "failed",
            },
            Lineage = new ModelLineage { DatasetHash = dataset.DatasetHash, TrainerType = options.TrainerType, ParentVersion = champion?.Version, TrainingJobId = job.Id },
            EvaluationReport = verdict.ToJson(),
        };
        ModelVersion registered = await _registry.RegisterAsync(registration, trained.Artifact.Content, null, cancellationToken).ConfigureAwait(false);
        int version = registered.Version;

        if (!verdict.Passed)
        {
            string failures = string.Join(" ", verdict.Failures.Select(f => f.Detail));
            await _registry.SetStageAsync(modelName, version, ModelStage.Rejected, Change($"Quality gate failed against {against}: {failures}"), cancellationToken).ConfigureAwait(false);
            string message = $"Version {version} rejected by the quality gate against {against}: {failures}";
            Publish(SelfLearningEventKind.CandidateRejected, modelName, version, message);
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.CandidateRejected, version, verdict, null, message);
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
            PrimaryMetric = ExperimentMetric.Continuous(HostingConstants.BrierMetric, higherIsBetter: false),
            Guardrails = [ExperimentMetric.SuccessRate(HostingConstants.AccuracyMetric)],
            PlannedSampleSizePerArm = Math.Max(2, options.MinimumSamplesPerArm * options.RampShares.Count),
        };
        await _experiments.SaveExperimentAsync(Experiment.Start(definition, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
        string started = Format($"Version {version} passed the quality gate against {against} and serves {options.RampShares[0]:P0} of traffic as challenger in canary '{definition.Key}'.");
        Publish(SelfLearningEventKind.JobCompleted, modelName, version, started);
        return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.ChallengerStarted, version, verdict, null, started);
    }

    /// <summary>
    /// Runs one training as a job in <see cref="ITrainingJobStore"/>: queued, running, then completed, failed (the
    /// reason recorded, <see cref="SelfLearningEventKind.JobFailed"/> published) or cancelled by shutdown (recorded,
    /// then the cancellation propagates). Nothing is registered unless the job completed.
    /// </summary>
    private async Task<(TrainingJob Job, CycleDataset? Dataset, TrainingResult? Trained, string? Failure)> RunTrainingJobAsync(
        string modelName, SelfLearningModelOptions options, TrainingTriggerKind trigger, string reason, string? watermark, CancellationToken cancellationToken)
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
        job = await WriteJobAsync(job.TransitionTo(TrainingJobState.Running, started) with { StartedAt = started, Attempts = 1, LeaseOwner = _options.Actor }, reason).ConfigureAwait(false);
        try
        {
            CycleDataset dataset = await _data.LoadAsync(modelName, watermark, cancellationToken).ConfigureAwait(false);
            TrainingResult trained = await _trainers[options.TrainerType]
                .TrainAsync(new TrainingContext(dataset.Data, options.Parameters, options.Seed, null, _logger), cancellationToken).ConfigureAwait(false);
            job = await WriteJobAsync(
                job.TransitionTo(TrainingJobState.Completed, _time.GetUtcNow()) with { Metrics = trained.ValidationMetrics, ParametersUsed = trained.Parameters, LeaseOwner = null },
                Format($"Trained on dataset {dataset.DatasetHash}.")).ConfigureAwait(false);
            return (job, dataset, trained, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await WriteJobAsync(
                job.TransitionTo(TrainingJobState.Cancelled, _time.GetUtcNow()) with { LeaseOwner = null },
                "The host stopped during training; nothing was registered.").ConfigureAwait(false);
            HostingLog.TrainingCancelled(_logger, modelName);
            throw;
        }
#pragma warning disable CA1031 // A failed training run is recorded and reported and the champion keeps serving; the next cycle tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            HostingLog.TrainingFailed(_logger, e, modelName, options.TrainerType);
            string message = $"Training job '{job.Id}' (trainer '{options.TrainerType}') failed: {e.Message}";
            await WriteJobAsync(
                job.TransitionTo(TrainingJobState.Failed, _time.GetUtcNow()) with { FailureReason = Truncate(e.Message), LeaseOwner = null },
                e.GetType().Name).ConfigureAwait(false);
            Publish(SelfLearningEventKind.JobFailed, modelName, null, message);
            return (job, null, null, message);
        }
    }

    /// <summary>Writes a job the loop owns; its own writes cannot conflict, so a conflict means another writer touched the job.</summary>
    private async Task<TrainingJob> WriteJobAsync(TrainingJob job, string? reason) =>
        await _jobs.TryUpdateAsync(job, reason, CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Training job '{job.Id}' of model '{job.ModelKey}' was changed by another writer while the loop ran it.");

    private async Task<ModelVersion?> LatestVersionAsync(string modelName, CancellationToken cancellationToken)
    {
        var models = await _registry.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        if (!models.Contains(modelName, StringComparer.Ordinal))
        {
            return null;
        }

        var model = await _registry.GetModelAsync(modelName, cancellationToken).ConfigureAwait(false);
        return model.Versions.Count == 0 ? null : model.Versions[^1];
    }
}
