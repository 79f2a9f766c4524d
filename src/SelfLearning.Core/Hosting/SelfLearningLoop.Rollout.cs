using MathNet.Numerics.Distributions;
using SelfLearning.Experiments;
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
                Publish(SelfLearningEventKind.RampedUp, modelName, challenger, $"Canary '{experiment.Key}' ramped up from {decision.ChallengerShare:P0}. {reasons}");
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
    /// Rolls the champion back when its live accuracy is significantly more than the allowed drop below its
    /// pre-promotion holdout accuracy: a one-sided binomial z-test of H₀: live accuracy ≥ holdout − drop.
    /// </summary>
    private async Task<SelfLearningCycleResult?> WatchChampionAsync(string modelName, SelfLearningModelOptions options, CancellationToken cancellationToken)
    {
        ModelVersion? champion = await _registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (champion is null || !champion.Metrics.TryGetValue(TrainingMetrics.Accuracy, out double holdoutAccuracy))
        {
            return null;
        }

        ModelServingState state = _serving.Get(modelName);
        LiveModelMetrics? live = state.Metrics(champion.Version);
        if (live is null || live.Count < options.MinimumLiveOutcomes)
        {
            return null;
        }

        double floor = Math.Clamp(holdoutAccuracy - options.RollbackAccuracyDrop, 1e-9, 1.0 - 1e-9);
        double z = (live.Accuracy - floor) / Math.Sqrt(floor * (1.0 - floor) / live.Count);
        double p = Normal.CDF(0.0, 1.0, z);
        if (p >= options.RollbackAlpha)
        {
            return null;
        }

        string why = Format(
            $"Live accuracy {live.Accuracy:P2} over {live.Count} outcomes is significantly more than {options.RollbackAccuracyDrop * 100:F1} points below the holdout accuracy {holdoutAccuracy:P2} (z = {z:F2}, one-sided p = {p:G3} < {options.RollbackAlpha:G3}).");
        var history = await _registry.GetHistoryAsync(modelName, cancellationToken).ConfigureAwait(false);
        int? target = ModelHistory.RollBackTarget(history);
        string message;
        if (target is int restored)
        {
            await _registry.RollBackAsync(modelName, Change($"Automatic roll back: {why}"), cancellationToken).ConfigureAwait(false);
            state.Window(restored).Clear();
            message = Format($"Version {champion.Version} rolled back to version {restored}. {why}");
        }
        else
        {
            await _registry.DeactivateAsync(modelName, Change($"Automatic roll back: {why}"), cancellationToken).ConfigureAwait(false);
            await _registry.SetStageAsync(modelName, champion.Version, ModelStage.Rejected, Change($"Regressed in production: {why}"), cancellationToken).ConfigureAwait(false);
            message = Format($"Version {champion.Version} withdrawn; the uncalibrated baseline serves until the next champion. {why}");
        }

        Publish(SelfLearningEventKind.RolledBack, modelName, champion.Version, message);
        await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
        return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.RolledBack, champion.Version, null, null, message);
    }
}
