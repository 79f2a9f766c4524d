using SelfLearning.Experiments;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Experiments;

/// <summary>
/// What every <see cref="IExperimentStore"/> must do. Each store's test class derives from this one
/// (the SQLite tests compile it in by link), so the in-memory and persistent stores behave identically.
/// </summary>
public abstract class ExperimentStoreContractTests : IDisposable
{
    protected static readonly TimeSpan TimeToLive = TimeSpan.FromDays(7);

    private IExperimentStore? _store;

    protected ManualTimeProvider Clock { get; } = new(ExperimentFixtures.Epoch);

    protected IExperimentStore Store => _store ??= CreateStore(Clock, Options());

    /// <summary>Outcomes each of the 8 threads records per arm pair in the concurrency test; a durable store commits each one to disk.</summary>
    protected virtual int OutcomesPerThread => 5_000;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected static ExperimentStoreOptions Options() => new() { PendingPredictionTimeToLive = TimeToLive };

    protected abstract IExperimentStore CreateStore(TimeProvider timeProvider, ExperimentStoreOptions options);

    protected virtual void Dispose(bool disposing)
    {
    }

    // Issue 12, point 8: experiments can be removed, and concluded ones release their units.
    [Fact]
    public async Task DeleteExperimentAsync_ExperimentWithState_RemovesItAndEverythingKeptForIt()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await Store.SaveExperimentAsync(experiment);
        await Store.RecordExposureAsync(experiment.Key, "u1", ExperimentArm.Challenger);
        await Store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Challenger, "success", 1.0);
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion, servedOutput: "flu"));

        (await Store.DeleteExperimentAsync(experiment.Key)).Should().BeTrue();

        (await Store.FindExperimentAsync(experiment.Key)).Should().BeNull();
        (await Store.ListExperimentsAsync()).Should().BeEmpty();
        (await Store.RecordLabelAsync("p1", "success", "flu")).Should().BeFalse("its pending prediction went with it");
        await Store.Invoking(s => s.GetTalliesAsync(experiment.Key).AsTask()).Should().ThrowAsync<KeyNotFoundException>();
        (await Store.DeleteExperimentAsync(experiment.Key)).Should().BeFalse("it is gone");

        await Store.SaveExperimentAsync(experiment);
        (await Store.RecordExposureAsync(experiment.Key, "u1", ExperimentArm.Challenger)).Should().BeTrue("a new experiment with the key starts empty");
        (await Store.GetTalliesAsync(experiment.Key)).ChallengerExposures.Should().Be(1);
    }

    // Issue 12, point 9: an undefined arm was counted as the champion's.
    [Fact]
    public async Task RecordExposureAndOutcome_UndefinedArm_ThrowNamingArm()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await Store.SaveExperimentAsync(experiment);

        await Store.Invoking(s => s.RecordExposureAsync(experiment.Key, "u1", (ExperimentArm)9).AsTask())
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("arm");
        await Store.Invoking(s => s.RecordOutcomeAsync(experiment.Key, (ExperimentArm)9, "success", 1.0).AsTask())
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("arm");
        ExperimentTallies tallies = await Store.GetTalliesAsync(experiment.Key);
        tallies.ChampionExposures.Should().Be(0);
        tallies.Invoking(t => t.Get("success", (ExperimentArm)9)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("arm");
    }

    [Fact]
    public async Task SaveExperimentAsync_Concluded_KeepsTheExposureCountsAndCountsNoMoreUnits()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await Store.SaveExperimentAsync(experiment);
        await Store.RecordExposureAsync(experiment.Key, "u1", ExperimentArm.Champion);
        await Store.RecordExposureAsync(experiment.Key, "u2", ExperimentArm.Challenger);

        await Store.SaveExperimentAsync(experiment.Conclude(ExperimentStatus.RolledBack, Clock.GetUtcNow()));

        (await Store.RecordExposureAsync(experiment.Key, "u3", ExperimentArm.Challenger)).Should().BeFalse("a concluded experiment exposes no one");
        (await Store.RecordExposureAsync(experiment.Key, "u1", ExperimentArm.Champion)).Should().BeFalse();
        ExperimentTallies tallies = await Store.GetTalliesAsync(experiment.Key);
        (tallies.ChampionExposures, tallies.ChallengerExposures).Should().Be((1L, 1L));
    }

    [Fact]
    public async Task RecordOutcomeAsync_ManyThreads_CountsEveryOutcomeExactly()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Guardrails = [ExperimentMetric.Continuous("latency", higherIsBetter: false)] });
        await Store.SaveExperimentAsync(experiment);
        int perThread = OutcomesPerThread;

        await Parallel.ForAsync(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (thread, ct) =>
        {
            for (int i = 0; i < perThread; i++)
            {
                ExperimentArm arm = (ExperimentArm)(i % 2);
                await Store.RecordOutcomeAsync(experiment.Key, arm, "success", i % 3 == 0 ? 1 : 0, ct);
                await Store.RecordOutcomeAsync(experiment.Key, arm, "latency", 2.0, ct);
                await Store.RecordExposureAsync(experiment.Key, $"unit-{i}", arm, ct);
            }
        });

        ExperimentTallies tallies = await Store.GetTalliesAsync(experiment.Key);
        int evenMultiplesOfThree = Enumerable.Range(0, perThread).Count(i => i % 2 == 0 && i % 3 == 0);
        MetricTally champion = tallies.Get("success", ExperimentArm.Champion);
        champion.Count.Should().Be(8 * (perThread / 2));
        champion.Sum.Should().Be(8 * evenMultiplesOfThree);
        tallies.Get("latency", ExperimentArm.Challenger).Should().Be(new MetricTally(8 * (perThread / 2), 8 * perThread, 16 * perThread));
        (tallies.ChampionExposures, tallies.ChallengerExposures).Should().Be((perThread / 2, perThread / 2), "each unit is counted once across the 8 threads");
    }

    [Fact]
    public async Task RecordExposureAsync_SameUnitTwice_CountsItOnce()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await Store.SaveExperimentAsync(experiment);

        (await Store.RecordExposureAsync(experiment.Key, "u1", ExperimentArm.Challenger)).Should().BeTrue();
        (await Store.RecordExposureAsync(experiment.Key, "u1", ExperimentArm.Challenger)).Should().BeFalse();
        (await Store.RecordExposureAsync(experiment.Key, "u2", ExperimentArm.Champion)).Should().BeTrue();

        ExperimentTallies tallies = await Store.GetTalliesAsync(experiment.Key);
        (tallies.ChampionExposures, tallies.ChallengerExposures).Should().Be((1, 1));
        await FluentActions.Awaiting(() => Store.RecordExposureAsync("missing", "u1", ExperimentArm.Champion).AsTask())
            .Should().ThrowAsync<KeyNotFoundException>().WithMessage("*missing*");
    }

    [Fact]
    public async Task RecordLabelAsync_LabelArrivesLater_CountsForTheServingArmOnce()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await Store.SaveExperimentAsync(experiment);
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Challenger, servedOutput: "flu"));
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p2", ExperimentArm.Challenger, servedOutput: "cold"));

        (await Store.RecordLabelAsync("p1", "success", "flu")).Should().BeTrue();
        (await Store.RecordLabelAsync("p2", "success", "flu")).Should().BeTrue();
        (await Store.RecordLabelAsync("p1", "success", "flu")).Should().BeFalse("a prediction is labelled once");
        (await Store.RecordLabelAsync("unknown", "success", "flu")).Should().BeFalse();

        ExperimentTallies tallies = await Store.GetTalliesAsync(experiment.Key);
        tallies.Get("success", ExperimentArm.Challenger).Should().Be(new MetricTally(2, 1, 1));
        tallies.Get("success", ExperimentArm.Champion).Count.Should().Be(0);
    }

    [Fact]
    public async Task RecordLabelAsync_ShadowPrediction_RecordsThePair()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Mode = ExperimentMode.Shadow });
        await Store.SaveExperimentAsync(experiment);
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion, "flu", "cold"));
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p2", ExperimentArm.Champion, "flu", "cold"));

        await Store.RecordLabelAsync("p1", "success", "cold");
        await Store.RecordLabelAsync("p2", "success", "flu");

        PairedTally paired = (await Store.GetTalliesAsync(experiment.Key)).GetPaired("success");
        paired.Champion.Should().Be(new MetricTally(2, 1, 1));
        paired.Challenger.Should().Be(new MetricTally(2, 1, 1));
        (paired.ChampionOnly, paired.ChallengerOnly).Should().Be((1, 1));
        await FluentActions.Awaiting(() => Store.RecordDelayedOutcomeAsync("p1", "success", 1).AsTask()).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task RecordPairedOutcomeAsync_Values_AddsToThePairedTally()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Mode = ExperimentMode.Shadow });
        await Store.SaveExperimentAsync(experiment);

        await Store.RecordPairedOutcomeAsync(experiment.Key, "success", 1, 0);
        await Store.RecordPairedOutcomeAsync(experiment.Key, "success", 0, 1);
        await Store.RecordPairedOutcomeAsync(experiment.Key, "success", 0, 1);

        PairedTally paired = (await Store.GetTalliesAsync(experiment.Key)).GetPaired("success");
        paired.Difference.Should().Be(new MetricTally(3, 1, 3));
        (paired.ChampionOnly, paired.ChallengerOnly).Should().Be((1, 2));
    }

    [Fact]
    public async Task RecordDelayedOutcomeAsync_ContinuousValue_CountsForTheServingArm()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { PrimaryMetric = ExperimentMetric.Continuous("minutes", higherIsBetter: false) });
        await Store.SaveExperimentAsync(experiment);
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion));

        (await Store.RecordDelayedOutcomeAsync("p1", "minutes", 12.5)).Should().BeTrue();
        (await Store.RecordDelayedOutcomeAsync("p1", "minutes", 12.5)).Should().BeFalse();

        (await Store.GetTalliesAsync(experiment.Key)).Get("minutes", ExperimentArm.Champion).Should().Be(new MetricTally(1, 12.5, 156.25));
        await FluentActions.Awaiting(() => Store.RecordLabelAsync("p1", "minutes", "x").AsTask()).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task RecordOutcomeAsync_BadInput_ThrowsNamingArgument()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Guardrails = [ExperimentMetric.Continuous("latency")] });
        await Store.SaveExperimentAsync(experiment);

        await FluentActions.Awaiting(() => Store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "success", 0.5).AsTask())
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("value");
        await FluentActions.Awaiting(() => Store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "nope", 1).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithParameterName("metric");
        await FluentActions.Awaiting(() => Store.RecordOutcomeAsync("missing", ExperimentArm.Champion, "success", 1).AsTask())
            .Should().ThrowAsync<KeyNotFoundException>().WithMessage("*missing*");
        await FluentActions.Awaiting(() => Store.RecordPairedOutcomeAsync(experiment.Key, "success", 1, double.NaN).AsTask())
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("challengerValue");
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion, servedOutput: "flu"));
        await FluentActions.Awaiting(() => Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion)).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithParameterName("prediction");
        await FluentActions.Awaiting(() => Store.RecordLabelAsync("p1", "latency", "flu").AsTask())
            .Should().ThrowAsync<ArgumentException>().WithParameterName("metric");
        await FluentActions.Awaiting(() => Store.RecordPredictionAsync(new PredictionRecord("missing", "p2", ExperimentArm.Champion)).AsTask())
            .Should().ThrowAsync<KeyNotFoundException>().WithMessage("*missing*");
        (await Store.GetTalliesAsync(experiment.Key)).Get("success", ExperimentArm.Champion).Count.Should().Be(0, "refused outcomes change nothing");
    }

    [Fact]
    public async Task RecordLabelAsync_AfterTimeToLive_IsRefusedAndCountedAsExpired()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await Store.SaveExperimentAsync(experiment);
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "labelled", ExperimentArm.Champion, servedOutput: "flu"));
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "late", ExperimentArm.Champion, servedOutput: "flu"));
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "lost", ExperimentArm.Challenger, servedOutput: "flu"));
        Clock.Advance(TimeSpan.FromDays(3));
        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "recent", ExperimentArm.Challenger, servedOutput: "flu"));
        (await Store.RecordLabelAsync("labelled", "success", "flu")).Should().BeTrue();

        Clock.Advance(TimeToLive - TimeSpan.FromDays(3));

        (await Store.RecordLabelAsync("late", "success", "flu")).Should().BeFalse("it expired exactly now");
        (await Store.RecordLabelAsync("recent", "success", "cold")).Should().BeTrue("it has three days left");
        ExperimentTallies tallies = await Store.GetTalliesAsync(experiment.Key);
        tallies.ExpiredPredictions.Should().Be(2, "'late' and 'lost' expired without an outcome; 'labelled' had one");
        tallies.Get("success", ExperimentArm.Champion).Should().Be(new MetricTally(1, 1, 1));
        tallies.Get("success", ExperimentArm.Challenger).Should().Be(new MetricTally(1, 0, 0));

        await Store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "late", ExperimentArm.Champion, servedOutput: "flu"));
        (await Store.RecordLabelAsync("late", "success", "flu")).Should().BeTrue("an expired id is forgotten, so it may be kept again");
        (await Store.GetTalliesAsync(experiment.Key)).ExpiredPredictions.Should().Be(2, "expiry is counted once");
    }

    [Fact]
    public async Task SaveExperimentAsync_NewState_KeepsTalliesAndDecisions()
    {
        Experiment experiment = ExperimentFixtures.Running();
        await Store.SaveExperimentAsync(experiment);
        await Store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "success", 1);

        Experiment ramped = experiment.RampUp(ExperimentFixtures.Epoch.AddDays(1));
        await Store.SaveExperimentAsync(ramped);

        Experiment found = (await Store.FindExperimentAsync(experiment.Key))!;
        found.RampStep.Should().Be(1);
        found.StepStartedAt.Should().Be(ExperimentFixtures.Epoch.AddDays(1));
        (await Store.GetTalliesAsync(experiment.Key)).Get("success", ExperimentArm.Champion).Count.Should().Be(1);
        (await Store.ListExperimentsAsync()).Should().ContainSingle();
        (await Store.FindExperimentAsync("other")).Should().BeNull();
    }

    [Fact]
    public async Task FindExperimentAsync_EveryField_ReadsBackWhatWasSaved()
    {
        ExperimentDefinition definition = ExperimentFixtures.Definition("b-exp") with
        {
            Seed = "seed-1",
            HashVersion = 1,
            Mode = ExperimentMode.Shadow,
            Ramp = new CanaryRamp([0.1, 0.3], 250, TimeSpan.FromHours(6)),
            MaximumDuration = TimeSpan.FromDays(10),
            PrimaryMetric = ExperimentMetric.Continuous("minutes", higherIsBetter: false),
            Guardrails = [ExperimentMetric.SuccessRate("escalated", higherIsBetter: false)],
            PlannedSampleSizePerArm = 1234,
            Namespace = new ExperimentNamespace("triage", 0.25, 0.75),
        };
        Experiment concluded = Experiment.Start(definition, ExperimentFixtures.Epoch).Conclude(ExperimentStatus.RolledBack, ExperimentFixtures.Epoch.AddHours(5));
        await Store.SaveExperimentAsync(concluded);
        await Store.SaveExperimentAsync(ExperimentFixtures.Running(ExperimentFixtures.Definition("a-exp")));

        Experiment found = (await Store.FindExperimentAsync("b-exp"))!;

        found.Should().BeEquivalentTo(concluded);
        (await Store.ListExperimentsAsync()).Select(e => e.Key).Should().Equal("a-exp", "b-exp");
    }

    [Fact]
    public async Task GetDecisionsAsync_RecordedDecisions_ReadsThemBackInOrder()
    {
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Guardrails = [ExperimentMetric.Continuous("latency", higherIsBetter: false)] });
        await Store.SaveExperimentAsync(experiment);
        for (int i = 0; i < 200; i++)
        {
            await Store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "success", i % 4 == 0 ? 1 : 0);
            await Store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Challenger, "success", i % 3 == 0 ? 1 : 0);
            await Store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Challenger, "latency", 1.0 + (i % 7));
        }

        var options = new ExperimentDecisionOptions();
        ExperimentAnalysis analysis = ExperimentAnalyzer.Analyze(experiment, await Store.GetTalliesAsync(experiment.Key), options);
        var first = new ExperimentDecision(experiment.Key, DecisionAction.Continue, Clock.GetUtcNow(), 0, 0.05, ["Step 1/3 (5%): 200 of 1000 outcomes per arm."], analysis);
        await Store.RecordDecisionAsync(first);
        await Store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "latency", 3.5);
        Clock.Advance(TimeSpan.FromHours(1));
        analysis = ExperimentAnalyzer.Analyze(experiment, await Store.GetTalliesAsync(experiment.Key), options, analysis);
        var second = new ExperimentDecision(experiment.Key, DecisionAction.RampUp, Clock.GetUtcNow(), 0, 0.05, ["a", "b"], analysis);
        await Store.RecordDecisionAsync(second);

        IReadOnlyList<ExperimentDecision> history = await Store.GetDecisionsAsync(experiment.Key);

        history.Should().BeEquivalentTo(new[] { first, second }, o => o.WithStrictOrdering());
        history[1].Analysis.Primary.RelativeLiftUpper.Should().Be(second.Analysis.Primary.RelativeLiftUpper);
        history[0].Analysis.Guardrails[0].RelativeLiftLower.Should().Be(double.NegativeInfinity, "the champion has no latency outcome, so the interval is unbounded");
        await FluentActions.Awaiting(() => Store.GetDecisionsAsync("missing").AsTask()).Should().ThrowAsync<KeyNotFoundException>().WithMessage("*missing*");
    }
}
