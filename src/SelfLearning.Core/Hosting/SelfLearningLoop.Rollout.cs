using System.Globalization;
using SelfLearning.Experiments;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>The rollout half of a cycle: canary decisions and the production watch with automatic roll back.</summary>
internal sealed partial class SelfLearningLoop
{
    private async Task<SelfLearningCycleResult?> DecideExperimentAsync(string modelName, CancellationToken cancellationToken)
    {
        Experiment? experiment = await FindRunningExperimentAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (experiment is null)
        {
            return null;
        }

        int challenger = ParseVersion(experiment.Definition.ChallengerVersion);
        ExperimentDecision decision = await _decisions.EvaluateAsync(experiment.Key, cancellationToken).ConfigureAwait(false);
        string reasons = string.Join(" ", decision.Reasons);
        SelfLearningCycleOutcome outcome;
        switch (decision.Action)
        {
            case DecisionAction.Promote:
                outcome = SelfLearningCycleOutcome.Promoted;
                Publish(SelfLearningEventKind.Promoted, modelName, challenger, $"Canary '{experiment.Key}' won; version {challenger} is champion. {reasons}");
                _telemetry.RecordPromotion(modelName, experiment.Definition.ChallengerVersion);
                break;
            case DecisionAction.RollBack:
                await _registry.SetStageAsync(modelName, challenger, ModelStage.Rejected, Change($"Canary '{experiment.Key}' lost: {reasons}"), cancellationToken).ConfigureAwait(false);
                outcome = SelfLearningCycleOutcome.ChallengerWithdrawn;
                Publish(SelfLearningEventKind.RolledBack, modelName, challenger, $"Canary '{experiment.Key}' rolled back. {reasons}");
                break;
            case DecisionAction.StopInconclusive:
                await _registry.SetStageAsync(modelName, challenger, ModelStage.Archived, Change($"Canary '{experiment.Key}' ended without a winner: {reasons}"), cancellationToken).ConfigureAwait(false);
                outcome = SelfLearningCycleOutcome.ChallengerWithdrawn;
                Publish(SelfLearningEventKind.RolledBack, modelName, challenger, $"Canary '{experiment.Key}' ended without a winner. {reasons}");
                break;
            case DecisionAction.RampUp:
                outcome = SelfLearningCycleOutcome.ExperimentRampedUp;
                HostingLog.RampedUp(_logger, experiment.Key, decision.ChallengerShare, reasons);
                break;
            default:
                outcome = SelfLearningCycleOutcome.ExperimentContinued;
                break;
        }

        if (outcome != SelfLearningCycleOutcome.ExperimentContinued)
        {
            await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
        }

        return new SelfLearningCycleResult(modelName, outcome, challenger, null, decision, reasons);
    }

    /// <summary>
    /// Rolls the champion back when <see cref="AutoRollbackPolicy"/> finds its live accuracy significantly more
    /// than the allowed margin below its pre-promotion holdout accuracy. Runs before any canary decision; a canary
    /// running against the rolled-back champion is ended (inconclusive) and its challenger archived.
    /// </summary>
    private async Task<SelfLearningCycleResult?> WatchChampionAsync(string modelName, CancellationToken cancellationToken)
    {
        ModelVersion? champion = await _registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (champion is null
            || !champion.Metrics.TryGetValue(TrainingMetrics.Accuracy, out double holdoutAccuracy)
            || !champion.Metrics.TryGetValue(HostingConstants.HoldoutSizeMetric, out double holdoutSize))
        {
            return null;
        }

        string versionText = champion.Version.ToString(CultureInfo.InvariantCulture);
        if (!_live.TryGetWindow(modelName, versionText, out var window))
        {
            return null;
        }

        LiveMetricsSnapshot live = window.Snapshot();
        RollbackDecision decision = _rollback.Evaluate(holdoutAccuracy, (long)holdoutSize, live.CorrectCount, live.Count);
        if (!decision.ShouldRollBack)
        {
            return null;
        }

        string why = string.Join(" ", decision.Reasons.Select(r => r.Message));

        // A canary measured against this champion means nothing once it is rolled back: end it, keep its challenger out.
        if (await FindRunningExperimentAsync(modelName, cancellationToken).ConfigureAwait(false) is { } canary)
        {
            await _experiments.SaveExperimentAsync(canary.Conclude(ExperimentStatus.Inconclusive, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await _registry.SetStageAsync(
                modelName,
                ParseVersion(canary.Definition.ChallengerVersion),
                ModelStage.Archived,
                Change($"Canary '{canary.Key}' ended: its champion, version {champion.Version}, was rolled back. {why}"),
                cancellationToken).ConfigureAwait(false);
        }

        var history = await _registry.GetHistoryAsync(modelName, cancellationToken).ConfigureAwait(false);
        int? target = ModelHistory.RollBackTarget(history);
        string message;
        if (target is int restored)
        {
            await _registry.RollBackAsync(modelName, Change($"Automatic roll back: {why}"), cancellationToken).ConfigureAwait(false);
            _live.Remove(modelName, restored.ToString(CultureInfo.InvariantCulture));
            message = Format($"Version {champion.Version} rolled back to version {restored}. {why}");
        }
        else
        {
            await _registry.DeactivateAsync(modelName, Change($"Automatic roll back: {why}"), cancellationToken).ConfigureAwait(false);
            await _registry.SetStageAsync(modelName, champion.Version, ModelStage.Rejected, Change($"Regressed in production: {why}"), cancellationToken).ConfigureAwait(false);
            message = Format($"Version {champion.Version} withdrawn; the uncalibrated baseline serves until the next champion. {why}");
        }

        _telemetry.RecordRollback(modelName, versionText, decision.Reasons[0].Kind);
        Publish(SelfLearningEventKind.RolledBack, modelName, champion.Version, message, new Dictionary<string, object?>
        {
            ["liveAccuracy"] = decision.LiveAccuracy,
            ["holdoutAccuracy"] = holdoutAccuracy,
            ["z"] = decision.ZStatistic,
            ["p"] = decision.PValue,
        });
        await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
        return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.RolledBack, champion.Version, null, null, message);
    }
}
