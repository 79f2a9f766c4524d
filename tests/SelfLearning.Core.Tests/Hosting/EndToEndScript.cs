using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Evaluation;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;
using static SelfLearning.Tests.Hosting.LoopScenario;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// The end-to-end story, shared by the in-memory and SQLite tests: over eight simulated days the loop calibrates
/// the overconfident model (live ECE falls by more than 3×), rejects a deliberately worse candidate at the gate,
/// canaries and promotes a recalibration after the population drifts, and rolls that champion back when the
/// population returns. Optionally the host restarts between steps; every step must survive it.
/// </summary>
internal static class EndToEndScript
{
    /// <summary>The live ECE of the first champion is at most this fraction of the uncalibrated baseline's.</summary>
    public const double EceFactor = 3.0;

    /// <summary>Where the host restarts (disposes its services and builds new ones on the same stores).</summary>
    [Flags]
    public enum Restarts
    {
        None = 0,

        /// <summary>After the first champion, before the rejected candidate: the registry must hold the champion and the watermark.</summary>
        AfterFirstChampion = 1,

        /// <summary>While the canary runs: the experiment store must hold the canary and its tallies.</summary>
        DuringCanary = 2,

        /// <summary>
        /// After the promotion, before the population returns: the live window starts empty, and the automatic roll
        /// back must judge the champion against the holdout accuracy stored with it in the registry.
        /// </summary>
        AfterPromotion = 4,
    }

    public static async Task RunAsync(LoopScenario scenario, Restarts restarts)
    {
        await scenario.Loop.InitializeAsync();

        // Day 1: the raw model serves; 2,000 cases are enough for a first calibrator, gated against the raw scores.
        await scenario.ServeDayAsync(Population.Original);
        var first = await scenario.CycleAsync();
        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        first.Version.Should().Be(1);
        first.Verdict!.Passed.Should().BeTrue();
        first.Verdict.Rules.Should().Contain(r => r.Rule == QualityGate.EceImprovementRule && r.Passed && r.Value > 0.5);

        // Day 2: the calibrator serves; its live ECE against day 1's raw scores. Too few new cases to retrain.
        await scenario.ServeDayAsync(Population.Original);
        var baseline = scenario.Loop.GetLiveMetrics(Model, 0)!;
        var calibrated = scenario.Loop.GetLiveMetrics(Model, 1)!;
        baseline.Count.Should().Be(scenario.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MonitoringOptions>>().Value.WindowSize);
        calibrated.ExpectedCalibrationError!.Value.Should().BeLessThan(baseline.ExpectedCalibrationError!.Value / EceFactor);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.Idle);
        if (restarts.HasFlag(Restarts.AfterFirstChampion))
        {
            await scenario.RestartAsync();
        }

        // Day 3: a deliberately worse candidate (fitted on inverted outcomes) is trained and rejected.
        await scenario.ServeDayAsync(Population.Original);
        scenario.Trainer.Sabotage = true;
        var rejected = await scenario.CycleAsync();
        scenario.Trainer.Sabotage = false;
        rejected.Outcome.Should().Be(SelfLearningCycleOutcome.CandidateRejected, rejected.Message);
        rejected.Version.Should().Be(2);
        rejected.Verdict!.Passed.Should().BeFalse();
        rejected.Verdict.Failures.Select(f => f.Rule).Should().Contain([QualityGate.BrierRule, QualityGate.LogLossRule]);

        // Day 4: the population drifts; the champion's error stream changes, so drift triggers training on 2,000 new cases
        // (below the threshold of 3,000) and the retrained calibrator passes the gate against the champion and starts a canary.
        await scenario.ServeDayAsync(Population.Drifted);
        var challenger = await scenario.CycleAsync();
        challenger.Outcome.Should().Be(SelfLearningCycleOutcome.ChallengerStarted, challenger.Message);
        challenger.Version.Should().Be(3);
        if (restarts.HasFlag(Restarts.DuringCanary))
        {
            await scenario.RestartAsync();
        }

        // Days 5–6: the canary ramps from 10% to 50% and the challenger is promoted on a significantly lower Brier score.
        await scenario.ServeDayAsync(Population.Drifted);
        var ramp = await scenario.CycleAsync();
        ramp.Outcome.Should().Be(SelfLearningCycleOutcome.ExperimentRampedUp, ramp.Message);
        await scenario.ServeDayAsync(Population.Drifted);
        var promoted = await scenario.CycleAsync();
        promoted.Outcome.Should().Be(SelfLearningCycleOutcome.Promoted, promoted.Message);
        promoted.Version.Should().Be(3);
        if (restarts.HasFlag(Restarts.AfterPromotion))
        {
            await scenario.RestartAsync();
            scenario.Loop.GetLiveMetrics(Model, 3).Should().BeNull("live windows are kept in memory and start empty after a restart");
        }

        // Day 7: the original population returns; the new champion's live accuracy falls far below its holdout accuracy and it is rolled back to version 1.
        await scenario.ServeDayAsync(Population.Original);
        var rolledBack = await scenario.CycleAsync();
        rolledBack.Outcome.Should().Be(SelfLearningCycleOutcome.RolledBack, rolledBack.Message);
        rolledBack.Version.Should().Be(3);

        var registry = scenario.Services.GetRequiredService<IModelRegistry>();
        (await registry.GetChampionAsync(Model))!.Version.Should().Be(1);
        var history = await registry.GetHistoryAsync(Model);
        history.Select(t => (t.Version, t.From, t.To, t.Operation)).Should().Equal(
            (1, (ModelStage?)null, ModelStage.Candidate, RegistryOperation.Register),
            (1, ModelStage.Candidate, ModelStage.Champion, RegistryOperation.Activate),
            (2, null, ModelStage.Candidate, RegistryOperation.Register),
            (2, ModelStage.Candidate, ModelStage.Rejected, RegistryOperation.SetStage),
            (3, null, ModelStage.Candidate, RegistryOperation.Register),
            (3, ModelStage.Candidate, ModelStage.Challenger, RegistryOperation.SetStage),
            (1, ModelStage.Champion, ModelStage.Archived, RegistryOperation.Activate),
            (3, ModelStage.Challenger, ModelStage.Champion, RegistryOperation.Activate),
            (3, ModelStage.Champion, ModelStage.Rejected, RegistryOperation.RollBack),
            (1, ModelStage.Archived, ModelStage.Champion, RegistryOperation.RollBack));

        var report = QualityGateVerdict.FromJson((await registry.GetAsync(Model, 2)).EvaluationReport!);
        report.Passed.Should().BeFalse();
        report.Rules.Should().HaveCount(5);
        await AssertNoHostIdentifierInRegistryAsync(registry);

        // Each training was a job (the in-memory job store forgets them on restart; SQLite keeps them).
        var jobStore = scenario.Services.GetRequiredService<ITrainingJobStore>();
        if (restarts == Restarts.None || jobStore is not InMemoryTrainingJobStore)
        {
            var jobs = await jobStore.ListAsync(Model);
            jobs.Should().HaveCount(3).And.OnlyContain(j => j.State == TrainingJobState.Completed);
            jobs.Select(j => j.Trigger).Should().Equal(TrainingTriggerKind.NewCases, TrainingTriggerKind.NewCases, TrainingTriggerKind.Drift);
            (await registry.GetModelAsync(Model)).Versions.Select(v => v.Lineage.TrainingJobId).Should().Equal(jobs.Select(j => j.Id));
        }

        if (restarts == Restarts.None)
        {
            scenario.Events.Select(e => (e.Kind, e.Version)).Should().Equal(
                (SelfLearningEventKind.Promoted, 1),
                (SelfLearningEventKind.CandidateRejected, 2),
                (SelfLearningEventKind.DriftDetected, 1),
                (SelfLearningEventKind.JobCompleted, 3),
                (SelfLearningEventKind.Promoted, 3),
                (SelfLearningEventKind.RolledBack, 3));
        }
    }

    /// <summary>
    /// The registry only ever sees anonymised data: each version's watermark is the validation instant of the
    /// newest case it learned from (the newest case of its day), and no host case id appears in any tag, metric
    /// name, parameter, lineage field, report or audit reason.
    /// </summary>
    private static async Task AssertNoHostIdentifierInRegistryAsync(IModelRegistry registry)
    {
        var model = await registry.GetModelAsync(Model);
        var watermarks = model.Versions.Select(v => v.Lineage.TrainingWatermark!.Value).ToList();
        DateTimeOffset start = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);
        TimeSpan lastRequest = TimeSpan.FromDays(1) - (TimeSpan.FromDays(1) / RequestsPerDay);
        watermarks.Should().Equal(start + lastRequest, start + TimeSpan.FromDays(2) + lastRequest, start + TimeSpan.FromDays(3) + lastRequest);

        var texts = model.Versions.SelectMany(v => v.Tags.Keys.Concat(v.Tags.Values).Concat(v.Metrics.Keys).Concat(v.Parameters.Keys).Concat(v.Parameters.Values)
                .Append(v.EvaluationReport ?? string.Empty).Append(v.Lineage.DatasetHash ?? string.Empty))
            .Concat((await registry.GetHistoryAsync(Model)).Select(t => t.Reason ?? string.Empty));
        texts.Should().NotContain(t => t.Contains(CaseIdPrefix, StringComparison.Ordinal));
    }
}
