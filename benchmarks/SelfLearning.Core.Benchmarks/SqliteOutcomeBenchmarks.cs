using BenchmarkDotNet.Attributes;
using SelfLearning.Experiments;
using SelfLearning.Sqlite;

namespace SelfLearning.Benchmarks;

/// <summary>
/// Recording canary outcomes on SQLite (issue 17: outcome writes group-committed so throughput scales with concurrent
/// writers): each outcome is a prediction kept and its outcome resolved, as the serving path does, each acknowledged
/// only after its commit. <see cref="Writers"/> writers record 4,000 outcomes between them; outcomes per second is
/// 4,000 divided by the mean.
/// </summary>
[MemoryDiagnoser]
public class SqliteOutcomeBenchmarks : IDisposable
{
    private const int Outcomes = 4_000;
    private string _directory = null!;
    private SqliteExperimentStore _store = null!;
    private int _run;

    /// <summary>Gets or sets how many writers record at once.</summary>
    [Params(1, 8)]
    public int Writers { get; set; }

    /// <summary>Creates the database with one running experiment.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "selflearning-outcome-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _store = new SqliteExperimentStore(Path.Combine(_directory, "outcomes.db"));
        _store.SaveExperimentAsync(Experiment.Start(
            new ExperimentDefinition { Key = "triage-v2", ModelName = "triage", ChampionVersion = 1, ChallengerVersion = 2 },
            new DateTimeOffset(2025, 1, 6, 8, 0, 0, TimeSpan.Zero))).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Records 4,000 outcomes from <see cref="Writers"/> writers at once.</summary>
    /// <returns>The number recorded.</returns>
    [Benchmark]
    public async Task<int> RecordOutcomes()
    {
        int run = Interlocked.Increment(ref _run);
        int perWriter = Outcomes / Writers;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                string id = $"{run}-{w}-{i}";
                await _store.RecordPredictionAsync(new PredictionRecord("triage-v2", id, (i & 1) == 0 ? ExperimentArm.Champion : ExperimentArm.Challenger));
                await _store.RecordDelayedOutcomeAsync(id, "success", 1.0);
            }
        })));
        return perWriter * Writers;
    }

    /// <summary>Deletes the database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
