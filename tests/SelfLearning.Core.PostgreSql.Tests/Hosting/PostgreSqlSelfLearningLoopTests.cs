using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.PostgreSql.Hosting;
using SelfLearning.Registry;
using SelfLearning.Tests.Hosting;
using SelfLearning.Training;

namespace SelfLearning.PostgreSql.Tests.Hosting;

/// <summary>The whole loop hosted on PostgreSQL stores: the same script as in memory and on SQLite, reaching a champion, a canary and its decisions.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlSelfLearningLoopTests(PostgreSqlServer server)
{
    [Fact]
    public async Task RunCycleAsync_OnPostgreSqlStores_RunsTheWholeLoop()
    {
        string database = await server.CreateDatabaseAsync();
        using var scenario = Scenario(database);
        scenario.Services.GetRequiredService<IModelRegistry>().Should().BeOfType<PostgreSqlModelRegistry>();
        scenario.Services.GetRequiredService<IExperimentStore>().Should().BeOfType<PostgreSqlExperimentStore>();
        scenario.Services.GetRequiredService<ITrainingJobStore>().Should().BeOfType<PostgreSqlTrainingJobStore>();

        await EndToEndScript.RunAsync(scenario, EndToEndScript.Restarts.None);
    }

    [Fact]
    public async Task RunCycleAsync_RestartedAfterFirstChampionDuringTheCanaryAndAfterThePromotion_ContinuesFromTheDatabase()
    {
        string database = await server.CreateDatabaseAsync();
        using var scenario = Scenario(database);

        await EndToEndScript.RunAsync(
            scenario,
            EndToEndScript.Restarts.AfterFirstChampion | EndToEndScript.Restarts.DuringCanary | EndToEndScript.Restarts.AfterPromotion);
    }

    [Fact]
    public async Task UsePostgreSql_NoCaseSourceRegistered_KeepsTheCasesInPostgreSqlAsSourceAndWriter()
    {
        string database = await server.CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddSelfLearning().UsePostgreSql(database);
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ICaseSource>().Should().BeOfType<PostgreSqlCaseSource>()
            .And.BeSameAs(provider.GetRequiredService<IFeedbackCaseWriter>(), "the outcomes appended as cases are the cases collected");
    }

    [Fact]
    public async Task UsePostgreSql_HostCaseSourceRegisteredFirst_KeepsTheHostsSource()
    {
        string database = await server.CreateDatabaseAsync();
        var hosts = new InMemoryCaseSource();
        var services = new ServiceCollection();
        services.AddSelfLearning().AddCaseSource(hosts).UsePostgreSql(database);
        await using var provider = services.BuildServiceProvider();

        provider.GetServices<ICaseSource>().Should().ContainSingle().Which.Should().BeSameAs(hosts);
        provider.GetRequiredService<IFeedbackCaseWriter>().Should().BeSameAs(hosts);
    }

    [Fact]
    public void UsePostgreSql_EmptyConnectionString_FailsAtStartNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddSelfLearning().UsePostgreSql(o => o.ConnectionString = " ");
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*SelfLearning:PostgreSql:ConnectionString*");
        FluentActions.Invoking(() => services.AddSelfLearning().UsePostgreSql(" ")).Should().Throw<ArgumentException>().WithParameterName("connectionString");
    }

    /// <summary>The loop's stores and the host's cases in one PostgreSQL database; a restart opens a new case source on it.</summary>
    private static LoopScenario Scenario(string database) => new(
        b => b.UsePostgreSql(database),
        new LoopScenario.CaseStore(() => new PostgreSqlCaseSource(database), (source, day) => ((PostgreSqlCaseSource)source).AddRangeAsync(day)));
}
