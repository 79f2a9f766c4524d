using Microsoft.Data.Sqlite;
using SelfLearning.Experiments;
using SelfLearning.Privacy;
using SelfLearning.Sqlite.Tests.Migrations;
using SelfLearning.Tests.Experiments;

namespace SelfLearning.Sqlite.Tests.Experiments;

public sealed class SqliteExperimentStoreTests : ExperimentStoreContractTests
{
    private readonly TemporaryDirectory _directory = new();

    private string DatabasePath => _directory.File("experiments.db");

    /// <summary>Each outcome is a durable commit (an fsync), so the concurrency test records fewer of them.</summary>
    protected override int OutcomesPerThread => 200;

    protected override IExperimentStore CreateStore(TimeProvider timeProvider, ExperimentStoreOptions options) =>
        new SqliteExperimentStore(DatabasePath, timeProvider, options);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            _directory.Dispose();
        }

        base.Dispose(disposing);
    }

    [Fact]
    public async Task RecordOutcomeAsync_TwoStoresOnOneFileFromManyThreads_LoseNothing()
    {
        const int Threads = 8, PerThread = 500;
        var first = new SqliteExperimentStore(DatabasePath, Clock, Options());
        var second = new SqliteExperimentStore(DatabasePath, Clock, Options());
        Experiment experiment = ExperimentFixtures.Running();
        await first.SaveExperimentAsync(experiment);

        await Parallel.ForAsync(0, Threads * 2, new ParallelOptions { MaxDegreeOfParallelism = Threads * 2 }, async (worker, ct) =>
        {
            SqliteExperimentStore store = worker % 2 == 0 ? first : second;
            for (int i = 0; i < PerThread; i++)
            {
                await store.RecordOutcomeAsync(experiment.Key, (ExperimentArm)(i % 2), "success", i % 5 == 0 ? 1 : 0, ct);
            }

            // Every worker exposes the same 50 units: each is counted once across both stores.
            await store.RecordExposureAsync(experiment.Key, $"unit-{worker % 50}", ExperimentArm.Challenger, ct);
        });

        ExperimentTallies tallies = await second.GetTalliesAsync(experiment.Key);
        long outcomesPerArm = Threads * 2 * (PerThread / 2);
        tallies.Get("success", ExperimentArm.Champion).Should().Be(new MetricTally(outcomesPerArm, Threads * 2 * 50, Threads * 2 * 50), "i % 10 == 0 for 50 of the 250 even i");
        tallies.Get("success", ExperimentArm.Challenger).Count.Should().Be(outcomesPerArm);
        tallies.Get("success", ExperimentArm.Challenger).Sum.Should().Be(Threads * 2 * 50, "i % 5 == 0 and odd for 50 of the 250 odd i");
        tallies.ChallengerExposures.Should().Be(Threads * 2, "16 workers expose units 0 to 15");
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsTalliesPredictionsAndDecisions()
    {
        var store = new SqliteExperimentStore(DatabasePath, Clock, Options());
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Guardrails = [ExperimentMetric.Continuous("minutes")] });
        await store.SaveExperimentAsync(experiment);
        await store.RecordExposureAsync(experiment.Key, "u1", ExperimentArm.Champion);
        await store.RecordOutcomeAsync(experiment.Key, ExperimentArm.Challenger, "minutes", 4.0);
        await store.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Challenger, servedOutput: "flu"));
        ExperimentTallies before = await store.GetTalliesAsync(experiment.Key);
        var decision = new ExperimentDecision(
            experiment.Key, DecisionAction.Continue, Clock.GetUtcNow(), 0, 0.05, ["wait"], ExperimentAnalyzer.Analyze(experiment, before, new ExperimentDecisionOptions()));
        await store.RecordDecisionAsync(decision);
        SqliteConnection.ClearAllPools();

        var reopened = new SqliteExperimentStore(DatabasePath, Clock, Options());
        (await reopened.RecordLabelAsync("p1", "success", "flu")).Should().BeTrue("the prediction kept before the restart is still pending");
        (await reopened.RecordExposureAsync(experiment.Key, "u1", ExperimentArm.Champion)).Should().BeFalse("u1 was exposed before the restart");

        ExperimentTallies after = await reopened.GetTalliesAsync(experiment.Key);
        after.ChampionExposures.Should().Be(1);
        after.Get("minutes", ExperimentArm.Challenger).Should().Be(new MetricTally(1, 4.0, 16.0));
        after.Get("success", ExperimentArm.Challenger).Should().Be(new MetricTally(1, 1, 1));
        (await reopened.GetDecisionsAsync(experiment.Key)).Should().ContainSingle().Which.Should().BeEquivalentTo(decision);
        (await reopened.FindExperimentAsync(experiment.Key)).Should().BeEquivalentTo(experiment);
        Query("SELECT group_concat(id) FROM selflearning_schema_migrations;").Should().Be("experiments-0001-initial,experiments-0002-unit-fingerprints,experiments-0003-integer-versions");
    }

    [Fact]
    public async Task RecordLabelAsync_PredictionKeptByAnotherProcess_IsResolvedOnce()
    {
        var writer = new SqliteExperimentStore(DatabasePath, Clock, Options());
        var labeller = new SqliteExperimentStore(DatabasePath, Clock, Options());
        Experiment experiment = ExperimentFixtures.Running();
        await writer.SaveExperimentAsync(experiment);
        await writer.RecordPredictionAsync(new PredictionRecord(experiment.Key, "p1", ExperimentArm.Champion, servedOutput: "flu"));

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(async () => await (i % 2 == 0 ? writer : labeller).RecordLabelAsync("p1", "success", "flu"))));

        results.Count(r => r).Should().Be(1);
        (await writer.GetTalliesAsync(experiment.Key)).Get("success", ExperimentArm.Champion).Should().Be(new MetricTally(1, 1, 1));
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        FluentActions.Invoking(() => new SqliteExperimentStore(" ")).Should().Throw<ArgumentException>().WithParameterName("path");
        FluentActions.Invoking(() => new SqliteExperimentStore(DatabasePath, Clock, new ExperimentStoreOptions { PendingPredictionTimeToLive = TimeSpan.Zero }))
            .Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().WithMessage("*PendingPredictionTimeToLive*");
    }

    [Fact]
    public async Task RecordExposureAsync_WithTheHostsKey_StoresOnlyTheUnitsKeyedFingerprint()
    {
        var key = new Pseudonymizer(Enumerable.Repeat((byte)7, 32).ToArray());
        var store = new SqliteExperimentStore(DatabasePath, Clock, Options(), unitKey: key);
        Experiment experiment = ExperimentFixtures.Running();
        await store.SaveExperimentAsync(experiment);

        await store.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Challenger);

        Query("SELECT unit_key FROM selflearning_experiment_units;").Should().Be(key.Pseudonymize("patient-MRN-0042", "experiment-unit:" + experiment.Key));
        SqliteDatabaseFile.Dump(DatabasePath).Should().NotContain("patient-MRN-0042");
        SqliteDatabaseFile.Scalar(DatabasePath, "SELECT count(*) FROM selflearning_store_keys;").Should().Be(0L, "with the host's key no key is kept in the file");
    }

    [Fact]
    public async Task RecordExposureAsync_WithoutAKey_FingerprintsWithTheDatabasesOwnRandomKey()
    {
        string otherPath = _directory.File("other.db");
        var store = new SqliteExperimentStore(DatabasePath, Clock, Options());
        var other = new SqliteExperimentStore(otherPath, Clock, Options());
        Experiment experiment = ExperimentFixtures.Running();
        await store.SaveExperimentAsync(experiment);
        await other.SaveExperimentAsync(experiment);

        await store.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Champion);
        await other.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Champion);

        string? fingerprint = Query("SELECT unit_key FROM selflearning_experiment_units;");
        fingerprint.Should().MatchRegex("^[0-9a-f]{32}$");
        SqliteDatabaseFile.Scalar(otherPath, "SELECT unit_key FROM selflearning_experiment_units;").Should().NotBe(fingerprint, "each file has its own key");
        SqliteDatabaseFile.Dump(DatabasePath).Should().NotContain("patient-MRN-0042");
        (await new SqliteExperimentStore(DatabasePath, Clock, Options()).RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Champion))
            .Should().BeFalse("a store reopened on the file finds the same key");
    }

    private string? Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
