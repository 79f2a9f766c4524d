using Npgsql;
using SelfLearning.Experiments;
using SelfLearning.Privacy;
using SelfLearning.Tests.Experiments;

namespace SelfLearning.PostgreSql.Tests.Experiments;

/// <summary>The experiment store contract on a real PostgreSQL server, plus what only a shared database can show.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlExperimentStoreTests(PostgreSqlServer server) : ExperimentStoreContractTests
{
    private readonly string _database = server.CreateDatabaseAsync().GetAwaiter().GetResult();
    private readonly List<PostgreSqlExperimentStore> _stores = [];

    /// <summary>Each outcome is a committed transaction on the server, so the concurrency test records fewer of them.</summary>
    protected override int OutcomesPerThread => 400;

    [Fact]
    public async Task RecordLabelAsync_TwoInstancesManyThreadsOverlappingPredictionIds_CountEachPredictionOnce()
    {
        const int Predictions = 300, Threads = 8;
        var instances = new[] { Instance(), Instance() };
        Experiment experiment = ExperimentFixtures.Running(ExperimentFixtures.Definition() with { Guardrails = [ExperimentMetric.Continuous("minutes")] });
        await instances[0].SaveExperimentAsync(experiment);
        for (int i = 0; i < Predictions; i++)
        {
            await instances[i % 2].RecordPredictionAsync(new PredictionRecord(experiment.Key, $"p{i}", (ExperimentArm)(i % 2), servedOutput: "flu"));
        }

        // Every thread, on either instance, sends the outcome of every prediction (at-least-once delivery to random instances).
        int[] accepted = new int[Threads];
        await Parallel.ForAsync(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, async (thread, ct) =>
        {
            PostgreSqlExperimentStore store = instances[thread % 2];
            for (int n = 0; n < Predictions; n++)
            {
                int i = (n + (thread * 37)) % Predictions;
                accepted[thread] += await store.RecordLabelAsync($"p{i}", "success", i % 3 == 0 ? "flu" : "cold", ct) ? 1 : 0;
                accepted[thread] += await store.RecordDelayedOutcomeAsync($"p{i}", "minutes", 2.0, ct) ? 1 : 0;
            }
        });

        accepted.Sum().Should().Be(2 * Predictions, "each prediction's label and value are accepted once across both instances");
        accepted.Count(a => a > 0).Should().BeGreaterThan(1, "more than one thread had outcomes accepted, so the writers did contend");
        ExperimentTallies tallies = await instances[1].GetTalliesAsync(experiment.Key);
        int championSuccesses = Enumerable.Range(0, Predictions).Count(i => i % 2 == 0 && i % 3 == 0);
        int challengerSuccesses = Enumerable.Range(0, Predictions).Count(i => i % 2 == 1 && i % 3 == 0);
        tallies.Get("success", ExperimentArm.Champion).Should().Be(new MetricTally(Predictions / 2, championSuccesses, championSuccesses));
        tallies.Get("success", ExperimentArm.Challenger).Should().Be(new MetricTally(Predictions / 2, challengerSuccesses, challengerSuccesses));
        tallies.Get("minutes", ExperimentArm.Champion).Should().Be(new MetricTally(Predictions / 2, Predictions, 2 * Predictions));
    }

    [Fact]
    public async Task RecordOutcomeAndExposure_TwoInstancesAtOnce_FeedOneTallyAndCountEachUnitOnce()
    {
        const int Threads = 8, PerThread = 100;
        var instances = new[] { Instance(), Instance() };
        Experiment experiment = ExperimentFixtures.Running();
        await instances[1].SaveExperimentAsync(experiment);

        await Parallel.ForAsync(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, async (thread, ct) =>
        {
            PostgreSqlExperimentStore store = instances[thread % 2];
            for (int i = 0; i < PerThread; i++)
            {
                await store.RecordOutcomeAsync(experiment.Key, (ExperimentArm)(i % 2), "success", i % 5 == 0 ? 1 : 0, ct);
                await store.RecordExposureAsync(experiment.Key, $"unit-{i % 40}", (ExperimentArm)(i % 40 % 2), ct);
            }
        });

        ExperimentTallies tallies = await instances[0].GetTalliesAsync(experiment.Key);
        tallies.Get("success", ExperimentArm.Champion).Should().Be(new MetricTally(Threads * PerThread / 2, Threads * 10, Threads * 10), "i % 10 == 0 for 10 of the 50 even i");
        tallies.Get("success", ExperimentArm.Challenger).Count.Should().Be(Threads * PerThread / 2);
        (tallies.ChampionExposures, tallies.ChallengerExposures).Should().Be((20L, 20L), "40 distinct units, each counted once across both instances");
    }

    [Fact]
    public async Task RecordExposureAsync_WithoutAKey_StoresOnlyFingerprintsUnderTheDatabasesSharedKey()
    {
        PostgreSqlExperimentStore first = Instance(), second = Instance();
        Experiment experiment = ExperimentFixtures.Running();
        await first.SaveExperimentAsync(experiment);

        (await first.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Champion)).Should().BeTrue();
        (await second.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Champion)).Should().BeFalse("both instances use the key kept in the database");

        string stored = (string)(await ScalarAsync("SELECT string_agg(unit_key, ',') FROM selflearning.experiment_units;"))!;
        stored.Should().MatchRegex("^[0-9a-f]{32}$");
        (await ScalarAsync("SELECT count(*) FROM selflearning.experiment_units WHERE unit_key LIKE '%MRN%';")).Should().Be(0L);
    }

    [Fact]
    public async Task RecordExposureAsync_WithTheHostsKey_StoresTheKeyedFingerprintAndNoKey()
    {
        var key = new Pseudonymizer(Enumerable.Repeat((byte)7, 32).ToArray());
        var store = new PostgreSqlExperimentStore(_database, Clock, Options(), unitKey: key);
        _stores.Add(store);
        Experiment experiment = ExperimentFixtures.Running();
        await store.SaveExperimentAsync(experiment);

        await store.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Challenger);

        (await ScalarAsync("SELECT unit_key FROM selflearning.experiment_units;")).Should().Be(key.Pseudonymize("patient-MRN-0042", "experiment-unit:" + experiment.Key));
        (await ScalarAsync("SELECT count(*) FROM selflearning.store_keys;")).Should().Be(0L, "with the host's key no key is kept in the database");
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingThem()
    {
        FluentActions.Invoking(() => new PostgreSqlExperimentStore(" ")).Should().Throw<ArgumentException>().WithParameterName("connectionString");
        FluentActions.Invoking(() => new PostgreSqlExperimentStore(_database, Clock, new ExperimentStoreOptions { PendingPredictionTimeToLive = TimeSpan.Zero }))
            .Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().WithMessage("*PendingPredictionTimeToLive*");
    }

    protected override IExperimentStore CreateStore(TimeProvider timeProvider, ExperimentStoreOptions options)
    {
        var store = new PostgreSqlExperimentStore(_database, timeProvider, options);
        _stores.Add(store);
        return store;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (PostgreSqlExperimentStore store in _stores)
        {
            store.Dispose();
        }

        base.Dispose(disposing);
    }

    private PostgreSqlExperimentStore Instance() => (PostgreSqlExperimentStore)CreateStore(Clock, Options());

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
