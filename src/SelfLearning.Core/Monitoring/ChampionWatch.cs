using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Statistics;
using SelfLearning.Training;

namespace SelfLearning.Monitoring;

/// <summary>
/// The monitoring stage of the loop: at the start of every cycle it reads the new cases (and reports stale data), judges
/// the champion's drift, and watches production — live accuracy of a classifier or calibrator, live error of a
/// regression, live cluster shares of a clustering — rolling the champion back when it got significantly worse.
/// </summary>
internal sealed class ChampionWatch(
    IModelRegistry registry,
    CaseSourceDataSource data,
    ServingStates serving,
    ServedVersions served,
    RolloutCoordinator rollout,
    DriftWatch drift,
    LiveMetrics live,
    LiveErrorWindows liveErrors,
    AutoRollbackPolicy rollback,
    IOptions<MonitoringOptions> monitoringOptions,
    SelfLearningTelemetry telemetry,
    LoopEvents events)
{
    private readonly MonitoringOptions _monitoring = monitoringOptions.Value;
    private readonly ConcurrentDictionary<string, DataArrival> _arrivals = new(StringComparer.Ordinal);

    /// <summary>Reads what the trigger rules need (newest version, new cases), then judges stale data and drift.</summary>
    public async Task<CycleObservation> ObserveAsync(string modelName, SelfLearningModelOptions options, CancellationToken cancellationToken)
    {
        ModelVersion? latest = await registry.LatestVersionAsync(modelName, cancellationToken).ConfigureAwait(false);
        string? watermark = TrainingWatermarks.Of(latest);
        long newCases = await data.CountNewCasesAsync(watermark, cancellationToken).ConfigureAwait(false);
        WatchData(modelName, options, newCases, watermark, events.Time.GetUtcNow());
        bool drifted = EvaluateDrift(modelName) && options.RetrainOnDrift
            && !UnderRollbackWatch(modelName, await registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false));
        return new CycleObservation(latest, newCases, drifted);
    }

    /// <summary>
    /// Rolls the champion back when it got significantly worse in production (see <see cref="AutoRollbackPolicy"/>, and the
    /// error and cluster-share rules). A canary running against it ends: its challenger is promoted when it is significantly
    /// better on the canary's own outcomes, otherwise archived, and the champion rolls back to the previous one.
    /// </summary>
    /// <returns>The cycle's result when the champion changed, otherwise <see langword="null"/>.</returns>
    public async Task<SelfLearningCycleResult?> CheckAsync(string modelName, CancellationToken cancellationToken)
    {
        ModelVersion? champion = await registry.GetChampionAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (champion is null)
        {
            return null;
        }

        ModelServingState state = serving.Get(modelName);
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

        string why = degradation.Why;
        if (await rollout.ResolveCanaryOfRegressedChampionAsync(modelName, champion, why, degradation.Kind, cancellationToken).ConfigureAwait(false) is { } promoted)
        {
            return promoted;
        }

        var history = await registry.GetHistoryAsync(modelName, cancellationToken).ConfigureAwait(false);
        int? target = ModelHistory.RollBackTarget(history);
        string message;
        if (target is int restored)
        {
            await registry.RollBackAsync(modelName, events.Change($"Automatic roll back: {why}"), cancellationToken).ConfigureAwait(false);
            live.Remove(modelName, restored);
            liveErrors.Remove(modelName, restored);
            message = Format($"Version {champion.Version} rolled back to version {restored}. {why}");
        }
        else
        {
            await registry.DeactivateAsync(modelName, events.Change($"Automatic roll back: {why}"), cancellationToken).ConfigureAwait(false);
            await registry.SetStageAsync(modelName, champion.Version, ModelStage.Rejected, events.Change($"Regressed in production: {why}"), cancellationToken).ConfigureAwait(false);
            message = state.TaskKind == TaskKind.ScoreCalibration
                ? Format($"Version {champion.Version} withdrawn; the uncalibrated baseline serves until the next champion. {why}")
                : Format($"Version {champion.Version} withdrawn; the model has no champion until the next one passes the gate. {why}");
        }

        events.Publish(SelfLearningEventKind.RolledBack, modelName, champion.Version, message, degradation.Properties, degradation.Kind);
        await served.RefreshAsync(modelName, cancellationToken).ConfigureAwait(false);
        return new SelfLearningCycleResult(modelName, SelfLearningCycleOutcome.RolledBack, champion.Version, null, null, message);
    }

    /// <summary>Acknowledges the champion's error-rate change once a retraining on drift handles it.</summary>
    public void AcknowledgeDrift(string modelName) => drift.Get(modelName)?.Errors.Acknowledge();

    /// <summary>
    /// Whether the champion's live window holds outcomes but fewer than the rollback rule needs: a drifted champion is first
    /// given to the rollback watch (a canary started now would stop the watch until it ends), so drift retrains only once
    /// the rule could judge it, or when the host records no outcomes at all.
    /// </summary>
    private bool UnderRollbackWatch(string modelName, ModelVersion? champion) =>
        champion is not null
        && live.TryGetWindow(modelName, champion.Version, out var window)
        && window.Snapshot().Count is > 0 and var count
        && count < drift.RollbackMinimumLiveSample;

    /// <summary>
    /// Publishes <see cref="SelfLearningEventKind.DataStale"/> once when no new validated case arrived for
    /// <see cref="SelfLearningModelOptions.DataStaleAfter"/>. A case arrived at the watermark's instant (the newest case
    /// trained on, from the registry) or when this process saw the count of new cases grow; before either, the
    /// first cycle of the process counts as an arrival.
    /// </summary>
    private void WatchData(string modelName, SelfLearningModelOptions options, long newCases, string? watermark, DateTimeOffset now)
    {
        DateTimeOffset? trainedUpTo = watermark is null ? null : DateTimeOffset.Parse(watermark, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        DataArrival arrival = _arrivals.GetOrAdd(modelName, _ => new DataArrival { NewCases = newCases, LastArrival = newCases == 0 && trainedUpTo is { } t ? t : now });
        if (newCases > arrival.NewCases)
        {
            arrival.LastArrival = now;
            arrival.Reported = false;
        }
        else if (trainedUpTo is { } t && t > arrival.LastArrival)
        {
            arrival.LastArrival = t;
        }

        arrival.NewCases = newCases;
        TimeSpan quiet = now - arrival.LastArrival;
        if (quiet < options.DataStaleAfter || arrival.Reported)
        {
            return;
        }

        arrival.Reported = true;
        events.Publish(
            SelfLearningEventKind.DataStale,
            modelName,
            null,
            Format($"No new validated case for {quiet.TotalDays:F1} days (since {arrival.LastArrival:O}); the limit is {options.DataStaleAfter.TotalDays:F1} days."),
            new Dictionary<string, object?> { ["lastArrival"] = arrival.LastArrival, ["newCases"] = newCases });
    }

    /// <summary>
    /// Evaluates the champion's score monitor (PSI and KS against its reference; the PSI goes to telemetry) and reads its
    /// error stream; publishes <see cref="SelfLearningEventKind.DriftDetected"/> once per detection.
    /// </summary>
    /// <returns>Whether the champion drifted.</returns>
    private bool EvaluateDrift(string modelName)
    {
        if (drift.Get(modelName) is not { } monitors)
        {
            return false;
        }

        DriftReport? report = monitors.Scores?.Evaluate();
        if (report is { Psi: double psi })
        {
            telemetry.RecordDriftPsi(report.Monitor, psi);
        }

        ErrorStreamStatus errors = monitors.Errors.GetStatus();
        bool drifted = report is { IsDrift: true } || errors.IsAlarmed;
        if (!drifted || monitors.Reported)
        {
            monitors.Reported = drifted;
            return drifted;
        }

        monitors.Reported = true;
        string what = string.Join(
            " ",
            new[]
            {
                report is { IsDrift: true } ? Format($"Live scores drifted from the training reference (PSI {report.Psi:F3}, KS D {report.KsStatistic:F3}, p {report.KsPValue:G3}, {report.LiveCount} scores).") : null,
                errors.IsAlarmed ? Format($"The error rate changed (now {errors.ErrorRate:P1} over {errors.AdwinWidth} outcomes).") : null,
            }.OfType<string>());
        events.Publish(SelfLearningEventKind.DriftDetected, modelName, monitors.Version, Format($"Champion version {monitors.Version}: {what}"), new Dictionary<string, object?>
        {
            ["psi"] = report?.Psi,
            ["ksStatistic"] = report?.KsStatistic,
            ["ksPValue"] = report?.KsPValue,
            ["errorRate"] = errors.ErrorRate,
            ["errorStreamAlarmed"] = errors.IsAlarmed,
        });
        return true;
    }

    /// <summary>A classifier or score calibrator: <see cref="AutoRollbackPolicy"/> on live accuracy against the held-out accuracy.</summary>
    private Degradation? JudgeAccuracy(string modelName, ModelVersion champion)
    {
        if (!champion.Metrics.TryGetValue(TrainingMetrics.Accuracy, out double holdoutAccuracy)
            || HoldoutSize(champion) is not double holdoutSize
            || !live.TryGetWindow(modelName, champion.Version, out var window))
        {
            return null;
        }

        LiveMetricsSnapshot snapshot = window.Snapshot();
        RollbackDecision decision = rollback.Evaluate(holdoutAccuracy, (long)holdoutSize, snapshot.CorrectCount, snapshot.Count);
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
            || liveErrors.Snapshot(modelName, champion.Version) is not { } errors
            || errors.Count < _monitoring.RollbackMinimumLiveSample)
        {
            return null;
        }

        double limit = holdoutMae * (1.0 + _monitoring.RollbackMargin);
        double standardError = Math.Sqrt(errors.Variance / errors.Count);
        double z = standardError > 0.0 ? (errors.Mean - limit) / standardError : (errors.Mean > limit ? double.PositiveInfinity : double.NegativeInfinity);
        double p = 1.0 - MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, z);
        if (!(p < _monitoring.RollbackSignificanceLevel))
        {
            return null;
        }

        return new Degradation(
            Format($"Live MAE {errors.Mean:G4} over {errors.Count} outcomes is significantly above the held-out MAE {holdoutMae:G4} plus {_monitoring.RollbackMargin:P0} (z = {z:G3}, p = {p:G3})."),
            RollbackReasonKind.ErrorRegression,
            new Dictionary<string, object?> { ["liveMae"] = errors.Mean, ["holdoutMae"] = holdoutMae, ["z"] = z, ["p"] = p });
    }

    /// <summary>
    /// A clustering: the live assignments per cluster against the shares on its validation cases, by a chi-square
    /// goodness-of-fit test, and a total variation distance above the rollback margin.
    /// </summary>
    private Degradation? JudgeClusterShares(ModelServingState state, ModelVersion champion)
    {
        if (state.Snapshot?.Champion is not { Version: var version, ReferenceShares: { } reference } model || version != champion.Version)
        {
            return null;
        }

        long[] counts = model.ClusterCounts.ToArray();
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

        TestResult test = HypothesisTests.ChiSquareGoodnessOfFit(counts, expected);
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

    private static string Format(FormattableString text) => LoopEvents.Format(text);

    /// <summary>The held-out size the gate judged a version on: its lineage's, else the metric an earlier release registered.</summary>
    private static double? HoldoutSize(ModelVersion version) =>
        version.Lineage.HoldoutSize is int typed ? typed
        : version.Metrics.TryGetValue(HostingConstants.HoldoutSizeMetric, out double metric) ? metric : null;

    /// <summary>Why the champion is rolled back: the message, the reason kind and the numbers for the event.</summary>
    private sealed record Degradation(string Why, RollbackReasonKind Kind, IReadOnlyDictionary<string, object?> Properties);

    /// <summary>When this process last saw new validated cases of a model.</summary>
    private sealed class DataArrival
    {
        public long NewCases { get; set; }

        public DateTimeOffset LastArrival { get; set; }

        public bool Reported { get; set; }
    }
}
