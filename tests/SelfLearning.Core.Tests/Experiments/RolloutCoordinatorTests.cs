using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Tests.Hosting;
using static SelfLearning.Tests.Hosting.LoopScenario;

namespace SelfLearning.Tests.Experiments;

/// <summary>
/// The rollout stage: a candidate left half-way by a stopped process is resumed or rejected at the next start, and the
/// canary of a champion that regressed promotes its challenger when the challenger is significantly better.
/// </summary>
public sealed class RolloutCoordinatorTests
{
    [Fact]
    public async Task InitializeAsync_PassedCandidateLeftByACrashAfterRegistration_ResumesItsCanary()
    {
        var stores = new SharedStores();
        using var scenario = new LoopScenario(stores.Use);
        await FirstChampionThenTwoDaysAsync(scenario, Population.Drifted);

        stores.Registry.CrashAfter = nameof(IModelRegistry.RegisterAsync);
        Func<Task> crashed = () => scenario.CycleAsync();
        await crashed.Should().ThrowAsync<SimulatedCrashException>();
        (await stores.Registry.Proxy.GetAsync(Model, 2)).Stage.Should().Be(ModelStage.Candidate, "the process stopped right after registering");
        (await stores.Experiments.Proxy.ListExperimentsAsync()).Should().BeEmpty();

        await scenario.RestartAsync();

        (await stores.Registry.Proxy.GetAsync(Model, 2)).Stage.Should().Be(ModelStage.Challenger);
        var canary = (await stores.Experiments.Proxy.ListExperimentsAsync()).Should().ContainSingle().Subject;
        canary.Status.Should().Be(ExperimentStatus.Running);
        canary.Definition.ChallengerVersion.Should().Be(2);
        canary.Definition.ChampionVersion.Should().Be(1);
        scenario.Services.GetRequiredService<SelfLearning.Serving.IPredictionService>().Predict(Model, "unit-resumed", 0.7).Should().NotBeNull();
        scenario.Events.Should().Contain(e => e.Kind == SelfLearningEventKind.JobCompleted && e.Version == 2 && e.Message.Contains("resumed after a restart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_FailedCandidateLeftByACrash_IsRejectedWithTheGateFailure()
    {
        var stores = new SharedStores();
        using var scenario = new LoopScenario(stores.Use);
        await FirstChampionThenTwoDaysAsync(scenario, Population.Original);
        scenario.Trainer.Sabotage = true;
        stores.Registry.CrashAfter = nameof(IModelRegistry.RegisterAsync);
        Func<Task> crashed = () => scenario.CycleAsync();
        await crashed.Should().ThrowAsync<SimulatedCrashException>();
        scenario.Trainer.Sabotage = false;

        await scenario.RestartAsync();

        var version = await stores.Registry.Proxy.GetAsync(Model, 2);
        version.Stage.Should().Be(ModelStage.Rejected);
        var history = await stores.Registry.Proxy.GetHistoryAsync(Model);
        history.Last(t => t.Version == 2).Reason.Should().StartWith("Quality gate failed against champion version 1");
        (await stores.Experiments.Proxy.ListExperimentsAsync()).Should().BeEmpty();
        (await stores.Registry.Proxy.GetChampionAsync(Model))!.Version.Should().Be(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InitializeAsync_ChallengerWhoseCanaryNeverStarted_StartsItOrArchivesItWhenItsChampionChanged(bool championChanged)
    {
        var stores = new SharedStores();
        using var scenario = new LoopScenario(stores.Use);
        await FirstChampionThenTwoDaysAsync(scenario, Population.Drifted);
        stores.Experiments.CrashBefore = nameof(IExperimentStore.SaveExperimentAsync);
        Func<Task> crashed = () => scenario.CycleAsync();
        await crashed.Should().ThrowAsync<SimulatedCrashException>();
        (await stores.Registry.Proxy.GetAsync(Model, 2)).Stage.Should().Be(ModelStage.Challenger, "the stage change committed, the experiment did not");
        if (championChanged)
        {
            // Meanwhile an operator took the champion out of service: the challenger was judged against a champion that is gone.
            await stores.Registry.Proxy.DeactivateAsync(Model, new RegistryChange("operator", "maintenance"));
        }

        await scenario.RestartAsync();

        var experiments = await stores.Experiments.Proxy.ListExperimentsAsync();
        if (championChanged)
        {
            (await stores.Registry.Proxy.GetAsync(Model, 2)).Stage.Should().Be(ModelStage.Archived);
            (await stores.Registry.Proxy.GetHistoryAsync(Model)).Last(t => t.Version == 2).Reason.Should().Contain("version 1, is no longer the champion");
            experiments.Should().BeEmpty();
        }
        else
        {
            (await stores.Registry.Proxy.GetAsync(Model, 2)).Stage.Should().Be(ModelStage.Challenger);
            experiments.Should().ContainSingle().Which.Should().Match<Experiment>(e => e.Status == ExperimentStatus.Running && e.Definition.ChallengerVersion == 2);
        }
    }

    [Fact]
    public async Task RunCycle_ChampionRegressesWhileItsChallengerIsSignificantlyBetter_PromotesTheChallenger()
    {
        using var scenario = new LoopScenario();
        await FirstChampionThenTwoDaysAsync(scenario, Population.Drifted);
        var canary = await scenario.CycleAsync();
        canary.Outcome.Should().Be(SelfLearningCycleOutcome.ChallengerStarted, canary.Message);
        int challenger = canary.Version!.Value;

        // A stale feed behind the champion's pipeline only: its traffic is right less than half the time, the challenger's is not.
        await scenario.ServeDayAsync((prediction, score) => prediction.ModelVersion == challenger
            ? TrueProbability(Population.Drifted, score)
            : TrueProbability(Population.Degraded, score));
        var watched = await scenario.CycleAsync();

        watched.Outcome.Should().Be(SelfLearningCycleOutcome.Promoted, watched.Message);
        watched.Version.Should().Be(challenger);
        watched.Message.Should().Contain("regressed in production").And.Contain("significantly better");
        var registry = scenario.Services.GetRequiredService<IModelRegistry>();
        (await registry.GetChampionAsync(Model))!.Version.Should().Be(challenger);
        (await registry.GetAsync(Model, 1)).Stage.Should().Be(ModelStage.Rejected);
        (await scenario.Services.GetRequiredService<IExperimentStore>().ListExperimentsAsync()).Should().ContainSingle().Which.Status.Should().Be(ExperimentStatus.Promoted);
        scenario.Events.Should().Contain(e => e.Kind == SelfLearningEventKind.RolledBack && e.Version == 1)
            .And.Contain(e => e.Kind == SelfLearningEventKind.Promoted && e.Version == challenger);
    }

    [Fact]
    public async Task RunCycleAsync_CandidateLeftByAFailedCycle_IsResumedByTheNextCycleWithoutReadingEveryVersion()
    {
        var stores = new SharedStores();
        using var scenario = new LoopScenario(stores.Use);
        await FirstChampionThenTwoDaysAsync(scenario, Population.Drifted);
        stores.Registry.CrashAfter = nameof(IModelRegistry.RegisterAsync);
        Func<Task> failed = () => scenario.CycleAsync();
        await failed.Should().ThrowAsync<SimulatedCrashException>();
        (await stores.Registry.Proxy.GetAsync(Model, 2)).Stage.Should().Be(ModelStage.Candidate, "the cycle failed right after registering");
        stores.Registry.Calls.Clear();

        // The same process, no restart: the recovery before the next cycle finds the candidate from the versions
        // registered since its last look, never from the whole model.
        await scenario.CycleAsync();

        (await stores.Registry.Proxy.GetAsync(Model, 2)).Stage.Should().Be(ModelStage.Challenger);
        (await stores.Experiments.Proxy.ListExperimentsAsync()).Should().ContainSingle().Which.Status.Should().Be(ExperimentStatus.Running);
        stores.Registry.Calls.Should().Contain(nameof(IModelRegistry.GetVersionsPageAsync))
            .And.NotContain(nameof(IModelRegistry.GetModelAsync), "the loop's per-cycle reads do not grow with the number of versions");
    }

    /// <summary>A first champion on the original population, then two days of <paramref name="next"/> (enough new cases to train).</summary>
    private static async Task FirstChampionThenTwoDaysAsync(LoopScenario scenario, Population next)
    {
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);
        await scenario.ServeDayAsync(next);
        await scenario.ServeDayAsync(next);
    }

    private sealed class SimulatedCrashException() : Exception("The process stopped here.");

    /// <summary>Stores that outlive a restart of the scenario's services, with a crash armed right after one of the loop's writes.</summary>
    private sealed class SharedStores
    {
        private CrashingStore<IModelRegistry>? _registry;
        private CrashingStore<IExperimentStore>? _experiments;

        public CrashingStore<IModelRegistry> Registry => _registry!;

        public CrashingStore<IExperimentStore> Experiments => _experiments!;

        public void Use(ISelfLearningBuilder builder)
        {
            builder.Services.AddSingleton(sp => (_registry ??= CrashingStore<IModelRegistry>.Wrap(new InMemoryModelRegistry(sp.GetRequiredService<TimeProvider>()))).Proxy);
            builder.Services.AddSingleton(sp => (_experiments ??= CrashingStore<IExperimentStore>.Wrap(new InMemoryExperimentStore(sp.GetRequiredService<TimeProvider>()))).Proxy);
        }
    }

    /// <summary>Forwards every call to a real store; before or after the armed method's write, the call fails as a killed process would.</summary>
#pragma warning disable CA1852 // DispatchProxy derives a proxy type from this class, so it cannot be sealed.
    internal class CrashingStore<T> : DispatchProxy
#pragma warning restore CA1852
        where T : class
    {
        private T _inner = null!;

        public T Proxy { get; private set; } = null!;

        /// <summary>Gets or sets the method whose next call the "process stops" before (nothing of it is written).</summary>
        public string? CrashBefore { get; set; }

        /// <summary>Gets or sets the method after whose next completed call the "process stops".</summary>
        public string? CrashAfter { get; set; }

        /// <summary>Gets the names of the methods called through the proxy, in call order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Calls { get; } = new();

        public static CrashingStore<T> Wrap(T inner)
        {
            T proxy = Create<T, CrashingStore<T>>();
            var store = (CrashingStore<T>)(object)proxy;
            store._inner = inner;
            store.Proxy = proxy;
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Calls.Enqueue(targetMethod!.Name);
            if (string.Equals(CrashBefore, targetMethod!.Name, StringComparison.Ordinal))
            {
                CrashBefore = null;
                throw new SimulatedCrashException();
            }

            object? result;
            try
            {
                result = targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }

            if (!string.Equals(CrashAfter, targetMethod.Name, StringComparison.Ordinal))
            {
                return result;
            }

            CrashAfter = null;
            Type type = targetMethod.ReturnType;
#pragma warning disable CA2012 // The store's ValueTask is consumed exactly once: awaited by the wrapper that replaces it.
            return type == typeof(ValueTask)
                ? CrashAfterAsync((ValueTask)result!)
                : typeof(CrashingStore<T>).GetMethod(nameof(CrashAfterTaskAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [result]);
#pragma warning restore CA2012
        }

        private static async ValueTask CrashAfterAsync(ValueTask write)
        {
            await write;
            throw new SimulatedCrashException();
        }

        private static async Task<TResult> CrashAfterTaskAsync<TResult>(Task<TResult> write)
        {
            await write;
            throw new SimulatedCrashException();
        }
    }
}
