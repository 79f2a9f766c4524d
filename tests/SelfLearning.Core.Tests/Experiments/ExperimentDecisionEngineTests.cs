using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Experiments;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Experiments;

public sealed class ExperimentDecisionEngineTests
{
    private readonly InMemoryExperimentStore _store = new();
    private readonly RecordingActivator _activator = new();
    private readonly ManualTimeProvider _clock = new(ExperimentFixtures.Epoch);

    [Fact]
    public async Task EvaluateAsync_ClearWinner_RampsUpStepByStepThenPromotes()
    {
        Experiment experiment = await StartAsync(ExperimentFixtures.Definition() with { PlannedSampleSizePerArm = 2_000 });
        var actions = new List<DecisionAction>();
        for (int round = 0; round < 4; round++)
        {
            await AddOutcomesAsync(experiment.Key, championSuccesses: 100, challengerSuccesses: 200, perArm: 1_000);
            _clock.Advance(TimeSpan.FromDays(1));
            actions.Add((await Engine().EvaluateAsync(experiment.Key)).Action);
            if (actions[^1] == DecisionAction.Promote)
            {
                break;
            }
        }

        actions.Should().Equal(DecisionAction.RampUp, DecisionAction.RampUp, DecisionAction.Promote);
        _activator.Calls.Should().Equal(("triage", 1, 2));
        (await _store.FindExperimentAsync(experiment.Key))!.Status.Should().Be(ExperimentStatus.Promoted);
        IReadOnlyList<ExperimentDecision> history = await _store.GetDecisionsAsync(experiment.Key);
        history.Select(d => d.ChallengerShare).Should().Equal(0.05, 0.25, 0.5);
        history[^1].Reasons.Should().Contain(r => r.Contains("significantly better", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvaluateAsync_SampleRatioMismatch_RollsBackEvenWhenTheChallengerWins()
    {
        Experiment experiment = await StartAsync(ExperimentFixtures.Definition());
        await AddOutcomesAsync(experiment.Key, 100, 300, 2_000);
        await AddExposuresAsync(experiment.Key, champion: 10_400, challenger: 9_600);
        _clock.Advance(TimeSpan.FromDays(2));

        ExperimentDecision decision = await Engine().EvaluateAsync(experiment.Key);

        decision.Action.Should().Be(DecisionAction.RollBack);
        decision.Analysis.Primary.IsImprovement.Should().BeTrue();
        decision.Reasons.Should().Contain(r => r.StartsWith("Sample ratio mismatch", StringComparison.Ordinal));
        _activator.Calls.Should().BeEmpty();
        (await _store.FindExperimentAsync(experiment.Key))!.Status.Should().Be(ExperimentStatus.RolledBack);
    }

    [Fact]
    public async Task EvaluateAsync_GuardrailRegression_RollsBack()
    {
        Experiment experiment = await StartAsync(ExperimentFixtures.Definition() with { Guardrails = [ExperimentMetric.SuccessRate("escalated", higherIsBetter: false)] });
        await AddOutcomesAsync(experiment.Key, 100, 200, 2_000);
        for (int i = 0; i < 2_000; i++)
        {
            await _store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Champion, "escalated", i < 100 ? 1 : 0);
            await _store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Challenger, "escalated", i < 300 ? 1 : 0);
        }

        ExperimentDecision decision = await Engine().EvaluateAsync(experiment.Key);

        decision.Action.Should().Be(DecisionAction.RollBack);
        decision.Reasons.Should().ContainSingle(r => r.StartsWith("Guardrail regressed: escalated", StringComparison.Ordinal));
        _activator.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task EvaluateAsync_NoDifferenceAfterMaximumDuration_StopsInconclusive()
    {
        Experiment experiment = await StartAsync(ExperimentFixtures.Definition() with { MaximumDuration = TimeSpan.FromDays(7) });
        await AddOutcomesAsync(experiment.Key, 100, 101, 1_000);

        _clock.Advance(TimeSpan.FromHours(12));
        (await Engine().EvaluateAsync(experiment.Key)).Action.Should().Be(DecisionAction.Continue, "the first step needs a day");
        _clock.Advance(TimeSpan.FromDays(7));
        ExperimentDecision decision = await Engine().EvaluateAsync(experiment.Key);

        decision.Action.Should().Be(DecisionAction.StopInconclusive);
        decision.Reasons.Should().Contain(r => r.StartsWith("Maximum duration reached", StringComparison.Ordinal));
        await FluentActions.Awaiting(() => Engine().EvaluateAsync(experiment.Key).AsTask()).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task EvaluateAsync_ActivationFails_KeepsExperimentRunningAndRecordsNothing()
    {
        Experiment experiment = await StartAsync(ExperimentFixtures.Definition() with { Ramp = new CanaryRamp([0.5], 100, TimeSpan.Zero) });
        await AddOutcomesAsync(experiment.Key, 100, 300, 1_000);
        _activator.Failure = new InvalidOperationException("registry unavailable");

        await FluentActions.Awaiting(() => Engine().EvaluateAsync(experiment.Key).AsTask()).Should().ThrowAsync<InvalidOperationException>().WithMessage("registry unavailable");

        (await _store.FindExperimentAsync(experiment.Key))!.Status.Should().Be(ExperimentStatus.Running);
        (await _store.GetDecisionsAsync(experiment.Key)).Should().BeEmpty();
    }

    [Fact]
    public async Task EvaluateAsync_UnknownExperiment_ThrowsKeyNotFound()
    {
        await FluentActions.Awaiting(() => Engine().EvaluateAsync("missing").AsTask()).Should().ThrowAsync<KeyNotFoundException>().WithMessage("*missing*");
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        var options = Options.Create(new ExperimentDecisionOptions { Alpha = 0.9 });
        FluentActions.Invoking(() => new ExperimentDecisionEngine(_store, _activator, options, _clock, NullLogger<ExperimentDecisionEngine>.Instance))
            .Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().WithMessage("*Alpha*");
    }

    private ExperimentDecisionEngine Engine() =>
        new(_store, _activator, Options.Create(new ExperimentDecisionOptions()), _clock, NullLogger<ExperimentDecisionEngine>.Instance);

    private async Task<Experiment> StartAsync(ExperimentDefinition definition)
    {
        Experiment experiment = Experiment.Start(definition, _clock.GetUtcNow());
        await _store.SaveExperimentAsync(experiment);
        return experiment;
    }

    private async Task AddOutcomesAsync(string key, int championSuccesses, int challengerSuccesses, int perArm)
    {
        for (int i = 0; i < perArm; i++)
        {
            await _store.RecordOutcomeAsync(key, ExperimentArm.Champion, "success", i < championSuccesses ? 1 : 0);
            await _store.RecordOutcomeAsync(key, ExperimentArm.Challenger, "success", i < challengerSuccesses ? 1 : 0);
        }
    }

    private async Task AddExposuresAsync(string key, int champion, int challenger)
    {
        for (int i = 0; i < champion; i++)
        {
            await _store.RecordExposureAsync(key, "c" + i, ExperimentArm.Champion);
        }

        for (int i = 0; i < challenger; i++)
        {
            await _store.RecordExposureAsync(key, "t" + i, ExperimentArm.Challenger);
        }
    }

    private sealed class RecordingActivator : IChampionActivator
    {
        public List<(string Model, int Champion, int Challenger)> Calls { get; } = [];

        public Exception? Failure { get; set; }

        public ValueTask ActivateAsync(ChampionPromotion promotion, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Calls.Add((promotion.ModelName, promotion.ChampionVersion, promotion.ChallengerVersion));
            return ValueTask.CompletedTask;
        }
    }
}
