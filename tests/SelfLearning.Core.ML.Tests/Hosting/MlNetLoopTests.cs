using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests.Hosting;

/// <summary>
/// ML.NET model types through the hosted loop, in memory and on SQLite across a restart: trained from cases, gated,
/// registered (SHA-256 verified when loaded), served through pooled engines with the loop's calibrator or interval,
/// and withdrawn by the champion watch.
/// </summary>
public sealed class MlNetLoopTests
{
    private const string Model = MlNetTestData.Model;

    [Fact]
    public async Task RunCycleAsync_FastTreeBinary_ServesCalibratedLabelsAndWithdrawsAWrongChampion()
    {
        using var host = MlNetLoopHost.Build(MlNetModelTypes.FastTreeBinary(), new InMemoryCaseSource(MlNetTestData.Binary(2_000, seed: 1)));
        var (loop, predictions) = await MlNetLoopHost.StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        var served = new List<Prediction>();
        int right = 0;
        foreach (var c in MlNetTestData.Binary(400, seed: 2))
        {
            var prediction = predictions.Predict(Model, c.Id, c.Input);
            prediction.TaskKind.Should().Be(TaskKind.BinaryClassification);
            prediction.ModelVersion.Should().Be(first.Version);
            prediction.Probability.Should().BeInRange(0.5, 1.0);
            right += prediction.Label == c.ValidatedLabel ? 1 : 0;
            served.Add(prediction);
        }

        ((double)right / served.Count).Should().BeGreaterThan(0.7, "the features decide the label");
        foreach (var prediction in served)
        {
            (await predictions.RecordOutcomeAsync(prediction, prediction.Label == "yes" ? "no" : "yes")).Should().BeTrue();
        }

        var watched = await loop.RunCycleAsync(Model);

        watched.Outcome.Should().Be(SelfLearningCycleOutcome.RolledBack, watched.Message);
        (await host.Services.GetRequiredService<IModelRegistry>().GetChampionAsync(Model)).Should().BeNull();
    }

    [Fact]
    public async Task RunCycleAsync_LightGbmRegression_ServesConformalIntervals()
    {
        using var host = MlNetLoopHost.Build(MlNetModelTypes.LightGbmRegression(), new InMemoryCaseSource(MlNetTestData.Regression(2_000, seed: 5)));
        var (loop, predictions) = await MlNetLoopHost.StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        var cases = MlNetTestData.Regression(1_000, seed: 6).ToList();
        int covered = 0;
        foreach (var c in cases)
        {
            var prediction = predictions.Predict(Model, c.Id, c.Input);
            double actual = double.Parse(c.ValidatedLabel!, CultureInfo.InvariantCulture);
            prediction.Lower.Should().BeLessThan(prediction.Value);
            covered += actual >= prediction.Lower && actual <= prediction.Upper ? 1 : 0;
        }

        ((double)covered / cases.Count).Should().BeInRange(0.85, 0.95, "the split-conformal interval covers 90% of new cases");
    }

    [Fact]
    public async Task RunCycleAsync_KMeans_AssignsEachBlobItsCluster()
    {
        using var host = MlNetLoopHost.Build(MlNetModelTypes.KMeans(), new InMemoryCaseSource(MlNetTestData.Blobs(2_000, seed: 7)));
        var (loop, predictions) = await MlNetLoopHost.StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        var byBlob = MlNetTestData.Blobs(300, seed: 8)
            .GroupBy(c => c.ValidatedLabel)
            .ToDictionary(g => g.Key!, g => g.Select(c => predictions.Predict(Model, c.Id, c.Input).Cluster).Distinct().ToList());
        byBlob.Values.Should().AllSatisfy(clusters => clusters.Should().ContainSingle("a blob is one cluster"));
        byBlob.Values.Select(c => c[0]).Should().OnlyHaveUniqueItems();
    }

    public static TheoryData<string> SqliteTypes() => [MlNetModelTypes.FastTreeBinaryKey, MlNetModelTypes.LightGbmRegressionKey, MlNetModelTypes.KMeansKey];

    [Theory]
    [MemberData(nameof(SqliteTypes))]
    public async Task RunCycleAsync_OnSqlite_TheChampionStillServesAfterARestart(string key)
    {
        string directory = Path.Combine(Path.GetTempPath(), "selflearning-mlnet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string database = Path.Combine(directory, "loop.db");
        var trainer = MlNetModelTypes.All().Single(t => t.ModelType == key);
        var cases = key switch
        {
            MlNetModelTypes.FastTreeBinaryKey => MlNetTestData.Binary(2_000, seed: 1).ToList(),
            MlNetModelTypes.LightGbmRegressionKey => MlNetTestData.Regression(2_000, seed: 5).ToList(),
            _ => MlNetTestData.Blobs(2_000, seed: 7).ToList(),
        };
        var inputs = cases.Take(50).Select(c => c.Input).ToList();
        try
        {
            int version;
            List<Prediction> before;
            using (var host = MlNetLoopHost.Build(trainer, new InMemoryCaseSource(cases), stores: b => b.UseSqlite(database)))
            {
                var (loop, predictions) = await MlNetLoopHost.StartAsync(host);
                var first = await loop.RunCycleAsync(Model);
                first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
                version = first.Version!.Value;
                before = inputs.Select((input, i) => predictions.Predict(Model, "u" + i, input)).ToList();
                await host.StopAsync();
            }

            // A new host on the same file, with a fresh trainer and loader: the champion comes back from the registry.
            var again = MlNetModelTypes.All().Single(t => t.ModelType == key);
            using (var host = MlNetLoopHost.Build(again, new InMemoryCaseSource(cases), stores: b => b.UseSqlite(database)))
            {
                var (_, predictions) = await MlNetLoopHost.StartAsync(host);
                var after = inputs.Select((input, i) => predictions.Predict(Model, "u" + i, input)).ToList();

                after.Should().AllSatisfy(p => p.ModelVersion.Should().Be(version));
                after.Select(Served).Should().Equal(before.Select(Served), "the same version serves the same answers after the restart");
                await host.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (string? Label, double Probability, double Value, int Cluster) Served(Prediction p) => (p.Label, p.Probability, p.Value, p.Cluster);
}
