using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Registry;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Tests.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Sqlite.Tests.Hosting;

/// <summary>
/// The feature-model weeks of <see cref="FeatureWeeksScript"/> on SQLite stores and a SQLite case source, with the host
/// restarted (services disposed, new ones on the same files) right after the shifted version is registered: the canary,
/// the promotion and the roll back continue from the database.
/// </summary>
public sealed class SqliteFeatureModelWeeksTests
{
    [Fact]
    public async Task RunCycleAsync_BinaryLogisticRestartedAfterTheShift_ContinuesFromTheDatabase()
    {
        using var directory = new TemporaryDirectory();
        using var scenario = Scenario(directory, LogisticRegressionTrainer.Key, TaskKind.BinaryClassification);
        scenario.Services.GetRequiredService<IModelRegistry>().Should().BeOfType<SqliteModelRegistry>();

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: true);
    }

    [Fact]
    public async Task RunCycleAsync_MulticlassSoftmaxRestartedAfterTheShift_ContinuesFromTheDatabase()
    {
        using var directory = new TemporaryDirectory();
        using var scenario = Scenario(directory, SoftmaxRegressionTrainer.Key, TaskKind.MulticlassClassification);

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: true);
    }

    [Fact]
    public async Task RunCycleAsync_RidgeRegressionRestartedAfterTheShift_ContinuesFromTheDatabase()
    {
        using var directory = new TemporaryDirectory();
        using var scenario = Scenario(directory, RidgeRegressionTrainer.Key, TaskKind.Regression);

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: true);
    }

    [Fact]
    public async Task RunCycleAsync_KMeansRestartedAfterTheShift_ContinuesFromTheDatabase()
    {
        using var directory = new TemporaryDirectory();
        using var scenario = Scenario(directory, KMeansTrainer.Key, TaskKind.Clustering);

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: true);
    }

    /// <summary>The loop's stores and the host's cases in SQLite files of one directory.</summary>
    private static FeatureWeeksScenario Scenario(TemporaryDirectory directory, string modelType, TaskKind task)
    {
        string cases = directory.File("cases.db");
        return new FeatureWeeksScenario(
            modelType,
            task,
            b => b.UseSqlite(directory.File("loop.db")),
            new FeatureWeeksScenario.CaseStore(() => new SqliteCaseSource(cases), (source, reviewed) => ((SqliteCaseSource)source).AddRangeAsync(reviewed)));
    }
}
