using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Experiments;
using SelfLearning.Registry;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Experiments;

public sealed class RegistryChampionActivatorTests
{
    private readonly ManualTimeProvider _clock = new(ExperimentFixtures.Epoch);
    private readonly InMemoryExperimentStore _store = new();
    private readonly InMemoryModelRegistry _registry;

    public RegistryChampionActivatorTests() => _registry = new InMemoryModelRegistry(_clock);

    [Fact]
    public async Task EvaluateAsync_ChallengerWins_MakesItChampionAndArchivesTheOldOneWithReasons()
    {
        await RegisterAsync(versions: 2, champion: 1);
        Experiment experiment = await StartAsync(1, 2);
        await AddOutcomesAsync(experiment.Key, championSuccesses: 100, challengerSuccesses: 250, perArm: 1_000);

        ExperimentDecision decision = await Engine(new RegistryChampionActivator(_registry, "canary-bot")).EvaluateAsync(experiment.Key);

        decision.Action.Should().Be(DecisionAction.Promote);
        RegisteredModel model = await _registry.GetModelAsync("triage");
        model.Champion!.Version.Should().Be(2);
        model.Versions.Single(v => v.Version == 1).Stage.Should().Be(ModelStage.Archived);
        IReadOnlyList<StageTransition> history = await _registry.GetHistoryAsync("triage");
        StageTransition[] promotion = history.Where(t => t.Revision == history[^1].Revision).ToArray();
        promotion.Select(t => (t.Version, t.From, t.To)).Should().BeEquivalentTo(new[]
        {
            (1, (ModelStage?)ModelStage.Champion, ModelStage.Archived),
            (2, (ModelStage?)ModelStage.Candidate, ModelStage.Champion),
        });
        promotion.Should().OnlyContain(t => t.Actor == "canary-bot" && t.Operation == RegistryOperation.Activate);
        promotion[0].Reason.Should().StartWith($"Experiment '{experiment.Key}' promoted version 2 over 1:").And.Contain("significantly better");
        (await _store.FindExperimentAsync(experiment.Key))!.Status.Should().Be(ExperimentStatus.Promoted);
    }

    [Fact]
    public async Task EvaluateAsync_ChampionReplacedDuringTheExperiment_RefusesAndKeepsTheExperimentRunning()
    {
        await RegisterAsync(versions: 3, champion: 1);
        Experiment experiment = await StartAsync(1, 2);
        await AddOutcomesAsync(experiment.Key, 100, 250, 1_000);
        await _registry.ActivateAsync("triage", 3, new RegistryChange("ops", "hotfix"));

        await FluentActions.Awaiting(() => Engine(new RegistryChampionActivator(_registry)).EvaluateAsync(experiment.Key).AsTask())
            .Should().ThrowAsync<RegistryConcurrencyException>().WithMessage("*measured version 1*version 3 serves now*");

        (await _registry.GetChampionAsync("triage"))!.Version.Should().Be(3);
        (await _store.FindExperimentAsync(experiment.Key))!.Status.Should().Be(ExperimentStatus.Running);
        (await _store.GetDecisionsAsync(experiment.Key)).Should().BeEmpty();
    }

    [Fact]
    public async Task ActivateAsync_ModelChangesBetweenReadAndWrite_RegistryRefusesTheStaleRevision()
    {
        await RegisterAsync(versions: 2, champion: 1);
        IModelRegistry racing = ChangeAfterRead.Wrap(_registry);
        var activator = new RegistryChampionActivator(racing);

        await FluentActions.Awaiting(() => activator.ActivateAsync(new ChampionPromotion("exp", "triage", 1, 2, ["better"])).AsTask())
            .Should().ThrowAsync<RegistryConcurrencyException>();

        (await _registry.GetChampionAsync("triage"))!.Version.Should().Be(1, "the stale write changed nothing");
    }

    [Fact]
    public async Task ActivateAsync_BadInput_ThrowsNamingArgument()
    {
        var activator = new RegistryChampionActivator(_registry);

        await FluentActions.Awaiting(() => activator.ActivateAsync(new ChampionPromotion("exp", "triage", 1, -2, [])).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithParameterName("promotion.ChallengerVersion");
        await FluentActions.Awaiting(() => activator.ActivateAsync(new ChampionPromotion("exp", "triage", 0, 2, [])).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithParameterName("promotion.ChampionVersion");
        FluentActions.Invoking(() => new RegistryChampionActivator(_registry, " ")).Should().Throw<ArgumentException>().WithParameterName("actor");
    }

    private ExperimentDecisionEngine Engine(IChampionActivator activator) =>
        new(_store, activator, Options.Create(new ExperimentDecisionOptions()), _clock, NullLogger<ExperimentDecisionEngine>.Instance);

    private async Task RegisterAsync(int versions, int champion)
    {
        for (int i = 1; i <= versions; i++)
        {
            await _registry.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "trainer" }, new byte[] { (byte)i, 1, 2 });
        }

        await _registry.ActivateAsync("triage", champion, new RegistryChange("ops"));
    }

    private async Task<Experiment> StartAsync(int champion, int challenger)
    {
        Experiment experiment = Experiment.Start(
            ExperimentFixtures.Definition() with { ChampionVersion = champion, ChallengerVersion = challenger, Ramp = new CanaryRamp([0.5], 100, TimeSpan.Zero) },
            _clock.GetUtcNow());
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

    /// <summary>A registry through which another writer commits (a tag) right after every model read: the race the expected revision guards against.</summary>
    public class ChangeAfterRead : DispatchProxy
    {
        private IModelRegistry _inner = null!;

        public static IModelRegistry Wrap(IModelRegistry inner)
        {
            IModelRegistry proxy = Create<IModelRegistry, ChangeAfterRead>();
            ((ChangeAfterRead)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            object? result;
            try
            {
                result = targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }

            if (targetMethod.Name == nameof(IModelRegistry.GetModelAsync))
            {
                ((Task)result!).GetAwaiter().GetResult();
                _inner.SetTagAsync("triage", 1, "touched", "yes", new RegistryChange("someone-else")).GetAwaiter().GetResult();
            }

            return result;
        }
    }
}
