using System.Globalization;
using SelfLearning.Serving;
using SelfLearning.Experiments;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Statistics;
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
        if (champion is null)
        {
            return null;
        }

        ModelServingState state = _serving.Get(modelName);
        Degradation? degradation = state.TaskKind switch
        {
            TaskKind.Regression => JudgeErrors(modelName, champion),
            TaskKind.Clustering => JudgeClusterShares(state, champion),
            _ => JudgeAccuracy(modelName, champion),
        };
        if (degradation is null)
        {
            return null;
        }

        string versionText = champion.Version.ToString(CultureInfo.InvariantCulture);
        string why = degradation.Why;

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
            _liveErrors.Remove(modelName, restored.ToString(CultureInfo.InvariantCulture));
            message = Format($"Version {champion.Version} rolled back to version {restored}. {why}");
        }
        else
        {
            await _registry.DeactivateAsync(modelName, Change($"Automatic roll back: {why}"), cancellationToken).ConfigureAwait(false);
            await _registry.SetStageAsync(modelName, champion.Version, ModelStage.Rejected, Change($"Regressed in production: {why}"), cancellationToken).ConfigureAwait(false);
            message = state.TaskKind == TaskKind.ScoreCalibration
                ? Format($"Version {champion.Version} withdrawn; the uncalibrated baseline serves until the next champion. {why}")
                : Format($"Version {champion.Version} withdrawn; the model has no champion until the next one passes the gate. {why}");
        }

        _telemetry.RecordRollback(modelName, versionText, degradation.Kind);
        Publish(SelfLearningEventKind.RolledBack, modelName, champion.Version, message, degradation.Properties);
        await RefreshServingAsync(modelName, cancellationToken).ConfigureAwait(false);
        return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.RolledBack, champion.Version, null, null, message);
    }

    /// <summary>Why the champion is rolled back: the message, the reason kind and the numbers for the event.</summary>
    private sealed record Degradation(string Why, RollbackReasonKind Kind, IReadOnlyDictionary<string, object?> Properties);

    /// <summary>A classifier or score calibrator: <see cref="AutoRollbackPolicy"/> on live accuracy against the held-out accuracy.</summary>
    private Degradation? JudgeAccuracy(string modelName, ModelVersion champion)
    {
        if (!champion.Metrics.TryGetValue(TrainingMetrics.Accuracy, out double holdoutAccuracy)
            || !champion.Metrics.TryGetValue(HostingConstants.HoldoutSizeMetric, out double holdoutSize)
            || !_live.TryGetWindow(modelName, champion.Version.ToString(CultureInfo.InvariantCulture), out var window))
        {
            return null;
        }

        LiveMetricsSnapshot live = window.Snapshot();
        RollbackDecision decision = _rollback.Evaluate(holdoutAccuracy, (long)holdoutSize, live.CorrectCount, live.Count);
        return decision.ShouldRollBack
            ? new Degradation(string.Join(" ", decision.Reasons.Select(r => r.Message)), decision.Reasons[0].Kind, new Dictionary<string, object?>
            {
                ["liveAccuracy"] = decision.LiveAccuracy,
                ["holdoutAccuracy"] = holdoutAccuracy,
                ["z"] = decision.ZStatistic,
                ["p"] = decision.PValue,
            })
            : null;
    }

    /// <summary>
    /// A regression: its live mean absolute error against the held-out MAE raised by the rollback margin (relative), by a
    /// one-sided z-test on the live window's mean.
    /// </summary>
    private Degradation? JudgeErrors(string modelName, ModelVersion champion)
    {
        if (!champion.Metrics.TryGetValue(TrainingMetrics.MeanAbsoluteError, out double holdoutMae)
            || _liveErrors.Snapshot(modelName, champion.Version.ToString(CultureInfo.InvariantCulture)) is not { } live
            || live.Count < _monitoring.RollbackMinimumLiveSample)
        {
            return null;
        }

        double limit = holdoutMae * (1.0 + _monitoring.RollbackMargin);
        double standardError = Math.Sqrt(live.Variance / live.Count);
        double z = standardError > 0.0 ? (live.Mean - limit) / standardError : (live.Mean > limit ? double.PositiveInfinity : double.NegativeInfinity);
        double p = 1.0 - MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, z);
        if (!(p < _monitoring.RollbackSignificanceLevel))
        {
            return null;
        }

        return new Degradation(
            Format($"Live MAE {live.Mean:G4} over {live.Count} outcomes is significantly above the held-out MAE {holdoutMae:G4} plus {_monitoring.RollbackMargin:P0} (z = {z:G3}, p = {p:G3})."),
            RollbackReasonKind.ErrorRegression,
            new Dictionary<string, object?> { ["liveMae"] = live.Mean, ["holdoutMae"] = holdoutMae, ["z"] = z, ["p"] = p });
    }

    /// <summary>
    /// A clustering: the live assignments per cluster against the shares on its validation cases, by a chi-square
    /// goodness-of-fit test, and a total variation distance above the rollback margin.
    /// </summary>
    private Degradation? JudgeClusterShares(ModelServingState state, ModelVersion champion)
    {
        if (state.Snapshot?.Champion is not { Version: var version, ReferenceShares: { } reference } served || version != champion.Version)
        {
            return null;
        }

        long[] counts = served.ClusterCounts.ToArray();
        long total = counts.Sum();
        if (total < _monitoring.RollbackMinimumLiveSample)
        {
            return null;
        }

        // Expected shares must be positive: an empty reference cluster gets the smallest share one case would give.
        double floor = 1.0 / (total + 1.0);
        double[] expected = [.. reference.Select(r => Math.Max(r, floor))];
        double sum = expected.Sum();
        for (int c = 0; c < expected.Length; c++)
        {
            expected[c] /= sum;
        }

        TestResult test = Statistics.HypothesisTests.ChiSquareGoodnessOfFit(counts, expected);
        double distance = 0.0;
        for (int c = 0; c < counts.Length; c++)
        {
            distance += Math.Abs(((double)counts[c] / total) - reference[c]) / 2.0;
        }

        if (!(test.PValue < _monitoring.RollbackSignificanceLevel && distance > _monitoring.RollbackMargin))
        {
            return null;
        }

        return new Degradation(
            Format($"Live cluster shares over {total} assignments moved from the held-out shares by {distance:P1} (total variation; more than {_monitoring.RollbackMargin:P0}), χ² = {test.Statistic:G4}, p = {test.PValue:G3}."),
            RollbackReasonKind.ClusterShift,
            new Dictionary<string, object?> { ["totalVariation"] = distance, ["chiSquare"] = test.Statistic, ["p"] = test.PValue });
    }
}
