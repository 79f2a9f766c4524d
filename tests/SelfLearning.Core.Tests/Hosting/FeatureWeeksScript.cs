using FluentAssertions;
using SelfLearning.Evaluation;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Training;
using static SelfLearning.Tests.Hosting.ShiftingPopulation.Regime;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// The weeks of a model on features, the same for every task kind and store, asserted through the public API:
/// week 1 trains the first champion; week 2 is a quiet week whose few reviewed cases give a worse candidate, refused
/// on the same held-out cases as the champion; in week 3 the population shifts and the new version is canaried (where
/// there are outcomes) and promoted; then an upstream fault degrades the champion and it is rolled back automatically.
/// Every step must show in the registry history, the training job store and the published events.
/// </summary>
internal static class FeatureWeeksScript
{
    /// <summary>Longest canary the script waits for, in days (the model's maximum experiment duration is 28).</summary>
    public const int CanaryDays = 28;

    /// <summary>Runs the weeks.</summary>
    /// <param name="scenario">The host.</param>
    /// <param name="restartAfterShift">Whether to restart the host after the shifted version is registered (SQLite: the canary continues from the database).</param>
    public static async Task RunAsync(FeatureWeeksScenario scenario, bool restartAfterShift)
    {
        await scenario.Loop.InitializeAsync();

        // Week 1: reviewers validate the first cases; the first version passes the gate against the task's baseline.
        await scenario.ReviewAsync(Original, 2_000);
        scenario.NextDay();
        var first = await scenario.CycleAsync();
        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        first.Version.Should().Be(1);
        (await scenario.Registry.GetChampionAsync(FeatureWeeksScenario.Model))!.Version.Should().Be(1);

        // Week 2: a quiet week. The champion serves with its outcomes recorded; only 400 cases are reviewed, and the
        // candidate trained on their training split is worse than the champion on the same held-out cases.
        for (int day = 0; day < 7; day++)
        {
            scenario.NextDay();
            await scenario.ServeAsync(Original, 100);
        }

        await scenario.ReviewAsync(Original, 400);
        var quiet = await scenario.CycleAsync();
        quiet.Outcome.Should().Be(SelfLearningCycleOutcome.CandidateRejected, quiet.Message);
        quiet.Version.Should().Be(2);
        QualityGateRuleResult worse = quiet.Verdict!.Rules.Single(r => r.Rule == ImprovementRule(scenario.Task));
        worse.Passed.Should().BeFalse(worse.Detail);
        CandidateIsWorse(scenario.Task, worse).Should().BeTrue($"the 200-case candidate is not better than the champion on the same held-out cases: {worse.Detail}");
        (await scenario.Registry.GetChampionAsync(FeatureWeeksScenario.Model))!.Version.Should().Be(1);

        // Week 3: the population shifts. The champion keeps serving (it is not worse than its own held-out record on
        // the new population), and the version trained on the shifted cases beats it on their held-out cases.
        for (int day = 0; day < 7; day++)
        {
            scenario.NextDay();
            await scenario.ServeAsync(Shifted, 100);
        }

        await scenario.ReviewAsync(Shifted, 2_000);
        var shifted = await scenario.CycleAsync();
        shifted.Version.Should().Be(3);
        shifted.Verdict!.Passed.Should().BeTrue(shifted.Message);
        shifted.Outcome.Should().Be(scenario.HasOutcomes ? SelfLearningCycleOutcome.ChallengerStarted : SelfLearningCycleOutcome.Promoted, shifted.Message);

        if (restartAfterShift)
        {
            await scenario.RestartAsync();
        }

        if (scenario.HasOutcomes)
        {
            // The canary: the shifted traffic is split between champion and challenger, outcomes recorded, one cycle a day.
            int challengerServed = 0;
            SelfLearningCycleResult? canary = null;
            for (int day = 0; day < CanaryDays && canary?.Outcome != SelfLearningCycleOutcome.Promoted; day++)
            {
                scenario.NextDay();
                challengerServed += (await scenario.ServeAsync(Shifted, 1_000)).Count(p => p.Arm == ExperimentArm.Challenger);
                canary = await scenario.CycleAsync();
                canary.Outcome.Should().BeOneOf(
                    [SelfLearningCycleOutcome.ExperimentContinued, SelfLearningCycleOutcome.ExperimentRampedUp, SelfLearningCycleOutcome.Promoted],
                    canary.Message);
            }

            canary!.Outcome.Should().Be(SelfLearningCycleOutcome.Promoted, canary.Message);
            canary.Version.Should().Be(3);
            challengerServed.Should().BePositive("the challenger served part of the traffic during its canary");
        }

        (await scenario.Registry.GetChampionAsync(FeatureWeeksScenario.Model))!.Version.Should().Be(3);
        var served = await scenario.ServeAsync(Shifted, 10);
        served.Should().OnlyContain(p => p.ModelVersion == 3 && p.TaskKind == scenario.Task);

        // An upstream fault: the champion's live quality falls off its held-out record and it is rolled back.
        scenario.NextDay();
        await scenario.ServeAsync(Degraded, 600);
        var degraded = await scenario.CycleAsync();
        degraded.Outcome.Should().Be(SelfLearningCycleOutcome.RolledBack, degraded.Message);
        degraded.Version.Should().Be(3);
        (await scenario.Registry.GetChampionAsync(FeatureWeeksScenario.Model))!.Version.Should().Be(1, "the champion before version 3 is restored");

        await AssertRecordsAsync(scenario);
    }

    /// <summary>The registry history, the job store and the events each record every step.</summary>
    private static async Task AssertRecordsAsync(FeatureWeeksScenario scenario)
    {
        var history = await scenario.Registry.GetHistoryAsync(FeatureWeeksScenario.Model);
        var steps = history.Select(t => (t.Version, t.To, t.Operation)).ToList();
        steps.Should().ContainInOrder(
            (1, ModelStage.Champion, RegistryOperation.Activate),
            (2, ModelStage.Rejected, RegistryOperation.SetStage),
            (3, ModelStage.Champion, RegistryOperation.Activate),
            (1, ModelStage.Champion, RegistryOperation.RollBack));
        if (scenario.HasOutcomes)
        {
            steps.Should().ContainInOrder((3, ModelStage.Challenger, RegistryOperation.SetStage), (3, ModelStage.Champion, RegistryOperation.Activate));
        }
        else
        {
            steps.Should().NotContain(s => s.To == ModelStage.Challenger, "a clustering has no canary");
        }

        var jobs = await scenario.Jobs.ListAsync(FeatureWeeksScenario.Model);
        jobs.Should().HaveCount(3, "the loop trained three times").And.OnlyContain(j => j.State == TrainingJobState.Completed && j.ModelType == scenario.ModelType);
        var model = await scenario.Registry.GetModelAsync(FeatureWeeksScenario.Model);
        model.Versions.Select(v => v.Lineage.TrainingJobId).Should().Equal(jobs.Select(j => j.Id), "each version names the job that trained it");

        var events = scenario.Events
            .Where(e => e.Kind is not (SelfLearningEventKind.DriftDetected or SelfLearningEventKind.DataStale))
            .Select(e => (e.Kind, e.Version))
            .ToList();
        List<(SelfLearningEventKind, int?)> expected = [(SelfLearningEventKind.Promoted, 1), (SelfLearningEventKind.CandidateRejected, 2)];
        if (scenario.HasOutcomes)
        {
            // The canary's start is published as the completed job whose version now serves as challenger.
            expected.Add((SelfLearningEventKind.JobCompleted, 3));
        }

        expected.AddRange([(SelfLearningEventKind.Promoted, 3), (SelfLearningEventKind.RolledBack, 3)]);
        events.Should().Equal(expected);
    }

    /// <summary>The rule that asks the candidate to improve on the champion.</summary>
    private static string ImprovementRule(TaskKind task) => task switch
    {
        TaskKind.Regression => "mae-relative-improvement",
        TaskKind.Clustering => "inertia-relative-improvement",
        _ => "primary-metric-better",
    };

    /// <summary>
    /// Whether the rule's numbers show the candidate worse than the champion: for a classifier its log loss (value) above
    /// the champion's (threshold), for a regression a negative relative MAE improvement. Well separated segments are found
    /// as well from 200 cases as from 1,000, so a clustering candidate is only shown to fall short of the required
    /// inertia improvement.
    /// </summary>
    private static bool CandidateIsWorse(TaskKind task, QualityGateRuleResult rule) => task switch
    {
        TaskKind.Regression => rule.Value < 0.0,
        TaskKind.Clustering => rule.Value < rule.Threshold,
        _ => rule.Value > rule.Threshold,
    };
}
