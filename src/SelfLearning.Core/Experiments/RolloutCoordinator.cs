using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Evaluation;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Experiments;

/// <summary>
/// The rollout stage of the loop: registers a judged candidate and puts it where its verdict says — rejected, first
/// champion, promoted on the gate (a clustering) or challenger in a canary — as one operation from the loop's point of
/// view; finds a candidate a crash left half-way at start and resumes or rejects it; advances running canaries; and
/// settles the canary of a champion that regressed.
/// </summary>
/// <remarks>
/// The writes go in a fixed order — register (stage Candidate, gate verdict in the evaluation report), then the stage or
/// champion change, then the experiment — so every prefix a crash can leave is recognisable: a Candidate the loop
/// registered, or a Challenger without its running experiment. <see cref="RecoverAsync"/> completes or rejects it.
/// </remarks>
internal sealed class RolloutCoordinator(
    IModelRegistry registry,
    IExperimentStore experiments,
    IExperimentDecisionEngine decisions,
    IOptions<ExperimentDecisionOptions> decisionOptions,
    ServedVersions served,
    ServingStates serving,
    IOptionsMonitor<SelfLearningModelOptions> modelOptions,
    LoopEvents events,
    ILogger<RolloutCoordinator> logger)
{
    private UnsettledVersionScan? _unsettled;

    /// <summary>
    /// Registers <paramref name="candidate"/> with its evaluation and rolls it out as the verdict says: rejected when the
    /// gate failed, first champion without a champion, promoted on the gate for a clustering, otherwise challenger in a canary.
    /// </summary>
    public async Task<SelfLearningCycleResult> StartAsync(
        string modelName, SelfLearningModelOptions options, Candidate candidate, CandidateEvaluation evaluation, ModelVersion? champion, CancellationToken cancellationToken)
    {
        QualityGateVerdict verdict = evaluation.Verdict;
        CycleDataset dataset = candidate.Dataset;
        var registration = new ModelRegistration
        {
            Name = modelName,
            CreatedBy = events.Actor,
            Metrics = evaluation.Metrics,
            Parameters = candidate.Job.ParametersUsed?.Values ?? options.Parameters.Values,
            Lineage = new ModelLineage
            {
                DatasetHash = dataset.DatasetHash,
                TrainerType = candidate.Type.Key,
                ParentVersion = champion?.Version,
                TrainingJobId = candidate.Job.Id,
                TrainingWatermark = TrainingWatermarks.Parse(dataset.Watermark),
                HoldoutSize = verdict.HoldoutSize,
                ReferenceScores = candidate.Type.TaskKind == TaskKind.ScoreCalibration ? ReferenceScores.Quantiles(dataset.Holdout.Scores) : null,
            },
            EvaluationReport = verdict.ToJson(),
        };
        ModelVersion registered = await registry.RegisterAsync(registration, candidate.Package.ToBytes(), null, cancellationToken).ConfigureAwait(false);
        return await PlaceAsync(modelName, options, registered, verdict, champion, resumed: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes or rejects what a crash left half-way: a Candidate version the loop registered but never placed, or a
    /// Challenger whose canary was never started (or concluded without the stage change). Runs at start and before each cycle.
    /// </summary>
    /// <returns>What was done, one line per version; empty when nothing was left half-way.</returns>
    public async Task<IReadOnlyList<string>> RecoverAsync(string modelName, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        _unsettled ??= new UnsettledVersionScan(registry, v => v.Stage is ModelStage.Candidate or ModelStage.Challenger && IsLoopVersion(v));
        foreach (ModelVersion version in await _unsettled.FindAsync(modelName, cancellationToken).ConfigureAwait(false))
        {
            string? line = version.Stage == ModelStage.Candidate
                ? await RecoverCandidateAsync(modelName, version, cancellationToken).ConfigureAwait(false)
                : await RecoverChallengerAsync(modelName, version, cancellationToken).ConfigureAwait(false);
            if (line is not null)
            {
                done.Add(line);
                HostingLog.RolloutRecovered(logger, modelName, version.Version, line);
            }
        }

        if (done.Count > 0)
        {
            await served.RefreshAsync(modelName, cancellationToken).ConfigureAwait(false);
        }

        return done;
    }

    /// <summary>Looks at the running canary of <paramref name="modelName"/>, if any, and carries out the decision engine's decision.</summary>
    /// <returns>The cycle's result, or <see langword="null"/> when no canary runs.</returns>
    public async Task<SelfLearningCycleResult?> AdvanceAsync(string modelName, CancellationToken cancellationToken)
    {
        Experiment? experiment = await experiments.FindRunningAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (experiment is null)
        {
            return null;
        }

        int challenger = experiment.Definition.ChallengerVersion;
        ExperimentDecision decision = await decisions.EvaluateAsync(experiment.Key, cancellationToken).ConfigureAwait(false);
        string reasons = string.Join(" ", decision.Reasons);
        SelfLearningCycleOutcome outcome;
        string message = reasons;
        switch (decision.Action)
        {
            case DecisionAction.Promote:
                outcome = SelfLearningCycleOutcome.Promoted;
                message = Format($"Canary '{experiment.Key}' won; version {challenger} is champion. {reasons}");
                events.Publish(SelfLearningEventKind.Promoted, modelName, challenger, message);
                break;
            case DecisionAction.RollBack:
                await registry.SetStageAsync(modelName, challenger, ModelStage.Rejected, events.Change($"Canary '{experiment.Key}' lost: {reasons}"), cancellationToken).ConfigureAwait(false);
                outcome = SelfLearningCycleOutcome.ChallengerWithdrawn;
                message = Format($"Canary '{experiment.Key}' rolled back. {reasons}");
                events.Publish(SelfLearningEventKind.RolledBack, modelName, challenger, message);
                break;
            case DecisionAction.StopInconclusive:
                await registry.SetStageAsync(modelName, challenger, ModelStage.Archived, events.Change($"Canary '{experiment.Key}' ended without a winner: {reasons}"), cancellationToken).ConfigureAwait(false);
                outcome = SelfLearningCycleOutcome.ChallengerWithdrawn;
                message = Format($"Canary '{experiment.Key}' ended without a winner. {reasons}");
                events.Publish(SelfLearningEventKind.RolledBack, modelName, challenger, message);
                break;
            case DecisionAction.RampUp:
                outcome = SelfLearningCycleOutcome.ExperimentRampedUp;
                Experiment ramped = await experiments.FindExperimentAsync(experiment.Key, cancellationToken).ConfigureAwait(false) ?? experiment;
                message = Format($"Canary '{experiment.Key}' moved to step {ramped.RampStep + 1} of {ramped.Definition.Ramp.Shares.Count}: version {challenger} now serves {ramped.ChallengerShare:P0} of traffic. At the step it left: {reasons}");
                HostingLog.RampedUp(logger, experiment.Key, ramped.ChallengerShare, reasons);
                break;
            default:
                outcome = SelfLearningCycleOutcome.ExperimentContinued;
                break;
        }

        if (outcome != SelfLearningCycleOutcome.ExperimentContinued)
        {
            await served.RefreshAsync(modelName, cancellationToken).ConfigureAwait(false);
        }

        return new SelfLearningCycleResult(modelName, outcome, challenger, null, decision, message);
    }

    /// <summary>
    /// Settles the canary of a champion that regressed in production: when the canary's own outcomes show the challenger
    /// significantly better (its primary metric's sequential test, no guardrail regression, no sample ratio mismatch), the
    /// challenger is promoted and the regressed champion rejected; otherwise the canary ends inconclusive and its challenger
    /// is archived, and the caller rolls the champion back.
    /// </summary>
    /// <returns>The cycle's result when the challenger was promoted, otherwise <see langword="null"/>.</returns>
    public async Task<SelfLearningCycleResult?> ResolveCanaryOfRegressedChampionAsync(
        string modelName, ModelVersion champion, string why, RollbackReasonKind reason, CancellationToken cancellationToken)
    {
        if (await experiments.FindRunningAsync(modelName, cancellationToken).ConfigureAwait(false) is not { } canary)
        {
            return null;
        }

        int challenger = canary.Definition.ChallengerVersion;
        ExperimentTallies tallies = await experiments.GetTalliesAsync(canary.Key, cancellationToken).ConfigureAwait(false);
        ExperimentAnalysis analysis = ExperimentAnalyzer.Analyze(canary, tallies, decisionOptions.Value);
        bool better = analysis.Primary.IsImprovement && !analysis.Guardrails.Any(g => g.IsRegression) && !analysis.SampleRatio.IsMismatch;
        DateTimeOffset now = events.Time.GetUtcNow();
        if (!better)
        {
            await experiments.SaveExperimentAsync(canary.Conclude(ExperimentStatus.Inconclusive, now), cancellationToken).ConfigureAwait(false);
            await registry.SetStageAsync(
                modelName,
                challenger,
                ModelStage.Archived,
                events.Change($"Canary '{canary.Key}' ended: its champion, version {champion.Version}, regressed and the challenger was not significantly better on the canary's outcomes (p = {analysis.Primary.Sequential.PValue:G3}). {why}"),
                cancellationToken).ConfigureAwait(false);
            return null;
        }

        string message = Format(
            $"Version {champion.Version} regressed in production while canary '{canary.Key}' showed version {challenger} significantly better ({analysis.Primary.Metric.Name}: {analysis.Primary.Challenger.Mean:G4} against {analysis.Primary.Champion.Mean:G4}, p = {analysis.Primary.Sequential.PValue:G3}): version {challenger} is promoted. {why}");
        await experiments.SaveExperimentAsync(canary.Conclude(ExperimentStatus.Promoted, now), cancellationToken).ConfigureAwait(false);
        await registry.ActivateAsync(modelName, challenger, events.Change(message), cancellationToken).ConfigureAwait(false);
        await registry.SetStageAsync(modelName, champion.Version, ModelStage.Rejected, events.Change($"Regressed in production: {why}"), cancellationToken).ConfigureAwait(false);
        events.Publish(SelfLearningEventKind.RolledBack, modelName, champion.Version, message, rollback: reason);
        events.Publish(SelfLearningEventKind.Promoted, modelName, challenger, message);
        await served.RefreshAsync(modelName, cancellationToken).ConfigureAwait(false);
        return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.Promoted, challenger, null, null, message);
    }

    /// <summary>Puts a registered candidate where its verdict says (see <see cref="StartAsync"/>).</summary>
    private async Task<SelfLearningCycleResult> PlaceAsync(
        string modelName, SelfLearningModelOptions options, ModelVersion registered, QualityGateVerdict verdict, ModelVersion? champion, bool resumed, CancellationToken cancellationToken)
    {
        int version = registered.Version;
        TaskKind task = serving.Get(modelName).TaskKind;
        string against = champion is not null ? Format($"champion version {champion.Version}") : Baseline(task);
        string after = resumed ? " (resumed after a restart)" : string.Empty;
        if (!verdict.Passed)
        {
            string failures = string.Join(" ", verdict.Failures.Select(f => f.Detail));
            await registry.SetStageAsync(modelName, version, ModelStage.Rejected, events.Change($"Quality gate failed against {against}: {failures}"), cancellationToken).ConfigureAwait(false);
            string message = $"Version {version} rejected by the quality gate against {against}{after}: {failures}";
            events.Publish(SelfLearningEventKind.CandidateRejected, modelName, version, message);
            return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.CandidateRejected, version, verdict, null, message);
        }

        if (champion is null || task == TaskKind.Clustering)
        {
            // A first version serves at once; a clustering has no outcomes to canary on, so it is promoted on the gate.
            bool first = champion is null;
            string reason = first ? $"First version: passed the quality gate against {against}{after}." : $"Passed the quality gate against {against}{after}; a clustering is promoted on the gate.";
            await registry.ActivateAsync(modelName, version, events.Change(reason), cancellationToken).ConfigureAwait(false);
            await served.RefreshAsync(modelName, cancellationToken).ConfigureAwait(false);
            string message = first
                ? Format($"Version {version} is the first champion{after}: it passed the quality gate against {against} on {verdict.HoldoutSize} held-out cases.")
                : Format($"Version {version} replaces {against}{after}: it passed the quality gate on {verdict.HoldoutSize} held-out cases (a clustering has no canary).");
            events.Publish(SelfLearningEventKind.Promoted, modelName, version, message);
            return new SelfLearningCycleResult(modelName, first ? SelfLearningCycleOutcome.FirstChampion : SelfLearningCycleOutcome.Promoted, version, verdict, null, message);
        }

        if (registered.Stage != ModelStage.Challenger)
        {
            await registry.SetStageAsync(modelName, version, ModelStage.Challenger, events.Change($"Passed the quality gate against {against}{after}; canary starts."), cancellationToken).ConfigureAwait(false);
        }

        ExperimentDefinition definition = Definition(modelName, options, task, champion.Version, version);
        await experiments.SaveExperimentAsync(Experiment.Start(definition, events.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await served.RefreshAsync(modelName, cancellationToken).ConfigureAwait(false);
        string started = Format($"Version {version} passed the quality gate against {against} and serves {options.RampShares[0]:P0} of traffic as challenger in canary '{definition.Key}'{after}.");
        events.Publish(SelfLearningEventKind.JobCompleted, modelName, version, started);
        return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.ChallengerStarted, version, verdict, null, started);
    }

    private async Task<string?> RecoverCandidateAsync(string modelName, ModelVersion version, CancellationToken cancellationToken)
    {
        QualityGateVerdict? verdict = version.EvaluationReport is { } report ? QualityGateVerdict.FromJson(report) : null;
        ModelVersion? champion = await registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (verdict is null)
        {
            return await RejectAsync(modelName, version, "it was registered without a gate verdict", cancellationToken).ConfigureAwait(false);
        }

        if (verdict.Passed && !SameChampion(version, champion))
        {
            return await RejectAsync(modelName, version, StaleReason(version, champion), cancellationToken).ConfigureAwait(false);
        }

        if (verdict.Passed && champion is not null && await experiments.FindRunningAsync(modelName, cancellationToken).ConfigureAwait(false) is { } running)
        {
            return await RejectAsync(modelName, version, Format($"canary '{running.Key}' runs meanwhile"), cancellationToken).ConfigureAwait(false);
        }

        SelfLearningCycleResult placed = await PlaceAsync(modelName, modelOptions.Get(modelName), version, verdict, champion, resumed: true, cancellationToken).ConfigureAwait(false);
        return placed.Message;
    }

    private async Task<string?> RecoverChallengerAsync(string modelName, ModelVersion version, CancellationToken cancellationToken)
    {
        string key = ExperimentKey(modelName, version.Version);
        Experiment? experiment = await experiments.FindExperimentAsync(key, cancellationToken).ConfigureAwait(false);
        if (experiment is { Status: ExperimentStatus.Running })
        {
            return null;
        }

        if (experiment is not null)
        {
            // The canary ended but the process stopped before the challenger's stage followed its decision.
            ModelStage stage = experiment.Status == ExperimentStatus.RolledBack ? ModelStage.Rejected : ModelStage.Archived;
            string reason = Format($"Canary '{key}' ended {experiment.Status} before a restart; the stage follows its decision.");
            await registry.SetStageAsync(modelName, version.Version, stage, events.Change(reason), cancellationToken).ConfigureAwait(false);
            return Format($"Version {version.Version}: {reason}");
        }

        ModelVersion? champion = await registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (champion is null || !SameChampion(version, champion) || await experiments.FindRunningAsync(modelName, cancellationToken).ConfigureAwait(false) is not null)
        {
            string reason = Format($"Its canary was never started and {StaleReason(version, champion)}.");
            await registry.SetStageAsync(modelName, version.Version, ModelStage.Archived, events.Change(reason), cancellationToken).ConfigureAwait(false);
            return Format($"Version {version.Version} archived: {reason}");
        }

        QualityGateVerdict verdict = QualityGateVerdict.FromJson(version.EvaluationReport!);
        SelfLearningCycleResult placed = await PlaceAsync(modelName, modelOptions.Get(modelName), version, verdict, champion, resumed: true, cancellationToken).ConfigureAwait(false);
        return placed.Message;
    }

    private async Task<string> RejectAsync(string modelName, ModelVersion version, string why, CancellationToken cancellationToken)
    {
        string reason = Format($"Left as a candidate by a stopped process and not resumed: {why}.");
        await registry.SetStageAsync(modelName, version.Version, ModelStage.Rejected, events.Change(reason), cancellationToken).ConfigureAwait(false);
        string message = Format($"Version {version.Version} rejected: {reason}");
        events.Publish(SelfLearningEventKind.CandidateRejected, modelName, version.Version, message);
        return message;
    }

    /// <summary>Whether the version was judged against the model's current champion (or, without one, against the baseline).</summary>
    private static bool SameChampion(ModelVersion version, ModelVersion? champion) => version.Lineage.ParentVersion == champion?.Version;

    private static string StaleReason(ModelVersion version, ModelVersion? champion) => version.Lineage.ParentVersion is int parent
        ? Format($"the champion it was judged against, version {parent}, is no longer the champion ({(champion is null ? "none serves" : Format($"version {champion.Version} is"))})")
        : Format($"it was judged as a first version, but version {champion!.Version} became champion meanwhile");

    /// <summary>Whether the loop registered the version (a host's own registrations are never touched).</summary>
    private bool IsLoopVersion(ModelVersion version) =>
        string.Equals(version.CreatedBy, events.Actor, StringComparison.Ordinal)
        && version.EvaluationReport is not null
        && (version.Lineage.TrainingWatermark is not null || version.Tags.ContainsKey(HostingConstants.GateTag));

    private static ExperimentDefinition Definition(string modelName, SelfLearningModelOptions options, TaskKind task, int champion, int challenger) => new()
    {
        Key = ExperimentKey(modelName, challenger),
        ModelName = modelName,
        ChampionVersion = champion,
        ChallengerVersion = challenger,
        Ramp = new CanaryRamp([.. options.RampShares], options.MinimumSamplesPerArm, options.MinimumStepDuration),
        MaximumDuration = options.MaximumExperimentDuration,
        PrimaryMetric = task == TaskKind.Regression
            ? ExperimentMetric.Continuous(HostingConstants.AbsoluteErrorMetric, higherIsBetter: false)
            : ExperimentMetric.Continuous(HostingConstants.BrierMetric, higherIsBetter: false),
        Guardrails = task == TaskKind.Regression ? [] : [ExperimentMetric.SuccessRate(HostingConstants.AccuracyMetric)],
        PlannedSampleSizePerArm = Math.Max(2, options.MinimumSamplesPerArm * options.RampShares.Count),
    };

    private static string ExperimentKey(string modelName, int version) => Format($"{modelName}.v{version}");

    /// <summary>What a first candidate of a task is gated against.</summary>
    private static string Baseline(TaskKind task) => task switch
    {
        TaskKind.ScoreCalibration => "the uncalibrated baseline",
        TaskKind.BinaryClassification or TaskKind.MulticlassClassification => "the class-prior baseline",
        TaskKind.Regression => "the mean-target baseline",
        _ => "no champion",
    };

    private static string Format(FormattableString text) => LoopEvents.Format(text);
}
