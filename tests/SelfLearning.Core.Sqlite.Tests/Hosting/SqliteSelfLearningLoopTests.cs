using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.Experiments;
using SelfLearning.Registry;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Tests.Hosting;

namespace SelfLearning.Sqlite.Tests.Hosting;

public sealed class SqliteSelfLearningLoopTests
{
    [Fact]
    public async Task RunCycleAsync_OnSqliteStores_RunsTheWholeLoop()
    {
        using var directory = new TemporaryDirectory();
        using var scenario = Scenario(directory);
        scenario.Services.GetRequiredService<IModelRegistry>().Should().BeOfType<SqliteModelRegistry>();
        scenario.Cases.Should().BeOfType<SqliteCaseSource>();

        await EndToEndScript.RunAsync(scenario, EndToEndScript.Restarts.None);
    }

    [Fact]
    public async Task RunCycleAsync_RestartedAfterFirstChampion_ContinuesFromTheDatabase()
    {
        using var directory = new TemporaryDirectory();
        using var scenario = Scenario(directory);

        await EndToEndScript.RunAsync(scenario, EndToEndScript.Restarts.AfterFirstChampion);
    }

    [Fact]
    public async Task RunCycleAsync_RestartedBeforeTheRejectionDuringTheCanaryAndAfterThePromotion_ContinuesFromTheDatabase()
    {
        using var directory = new TemporaryDirectory();
        using var scenario = Scenario(directory);
        scenario.Services.GetRequiredService<IExperimentStore>().Should().BeOfType<SqliteExperimentStore>();

        await EndToEndScript.RunAsync(
            scenario,
            EndToEndScript.Restarts.AfterFirstChampion | EndToEndScript.Restarts.DuringCanary | EndToEndScript.Restarts.AfterPromotion);
    }

    [Fact]
    public async Task RunCycleAsync_RestartedAfterFirstChampion_RebuildsTheDriftReferenceFromTheRegistry()
    {
        using var directory = new TemporaryDirectory();
        using var scenario = Scenario(directory);
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        await scenario.CycleAsync();

        await scenario.RestartAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original, lowestScore: 0.85);
        await scenario.CycleAsync();

        scenario.Events.Should().ContainSingle(e => e.Kind == Monitoring.SelfLearningEventKind.DriftDetected)
            .Which.Should().Match<Monitoring.SelfLearningEvent>(e => e.Version == 1 && (double)e.Properties["psi"]! > 0.25, "the score reference came back from the registry tag");
    }

    [Fact]
    public void UseSqlite_EmptyPath_FailsAtStartNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddSelfLearning().UseSqlite(o => o.DatabasePath = " ");
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*SelfLearning:Sqlite:DatabasePath*");
    }

    /// <summary>The loop's stores and the host's cases in SQLite; a restart opens a new case source on the same file.</summary>
    private static LoopScenario Scenario(TemporaryDirectory directory)
    {
        string cases = directory.File("cases.db");
        return new LoopScenario(
            b => b.UseSqlite(directory.File("loop.db")),
            new LoopScenario.CaseStore(() => new SqliteCaseSource(cases), (source, day) => ((SqliteCaseSource)source).AddRangeAsync(day)));
    }
}
