using SelfLearning.Experiments;

namespace SelfLearning.Sqlite.CrashWriter;

/// <summary>
/// The child process of the outcome crash test: eight writers record canary outcomes into a SQLite experiment store at
/// once (each a prediction kept, then its outcome resolved, both through the store's group commit) until killed, and
/// report <c>ack ID</c> on stdout once the store has acknowledged a prediction's outcome.
/// </summary>
public static class OutcomeChild
{
    /// <summary>The experiment the child records into.</summary>
    public const string Experiment = "triage-v2";

    /// <summary>The metric the child records.</summary>
    public const string Metric = "success";

    private const int Writers = 8;

    /// <summary>Runs the writers until the process is killed.</summary>
    public static async Task<int> RunAsync(string databasePath)
    {
        var store = new SqliteExperimentStore(databasePath);
        if (await store.FindExperimentAsync(Experiment) is null)
        {
            await store.SaveExperimentAsync(SelfLearning.Experiments.Experiment.Start(
                new ExperimentDefinition { Key = Experiment, ModelName = "triage", ChampionVersion = 1, ChallengerVersion = 2 },
                new DateTimeOffset(2025, 1, 6, 8, 0, 0, TimeSpan.Zero)));
        }

        var output = Console.Out;
        var gate = new SemaphoreSlim(1, 1);
        string run = Guid.NewGuid().ToString("N")[..8];
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (long i = 0; ; i++)
            {
                string id = $"{run}-{w}-{i}";
                await store.RecordPredictionAsync(new PredictionRecord(Experiment, id, w % 2 == 0 ? ExperimentArm.Champion : ExperimentArm.Challenger));
                await store.RecordDelayedOutcomeAsync(id, Metric, 1.0);
                await gate.WaitAsync();
                try
                {
                    await output.WriteLineAsync($"ack {id}");
                    await output.FlushAsync();
                }
                finally
                {
                    gate.Release();
                }
            }
        })));
        return 0;
    }
}
