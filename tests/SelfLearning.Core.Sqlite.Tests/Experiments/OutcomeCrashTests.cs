using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SelfLearning.Experiments;
using Child = SelfLearning.Sqlite.CrashWriter.OutcomeChild;

namespace SelfLearning.Sqlite.Tests.Experiments;

/// <summary>
/// A child process records outcomes from eight writers at once through the experiment store's group commit and is
/// killed (SIGKILL) at varied points, five times on one file: after every kill the file passes SQLite's integrity check
/// and every outcome the store had acknowledged is there, resolved, and counted in the tallies.
/// </summary>
public sealed class OutcomeCrashTests : IDisposable
{
    private const int Kills = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OutcomeWriters_KilledWhileRecording_KeepEveryAcknowledgedOutcome()
    {
        string database = _directory.File("outcomes.db");
        var acknowledged = new List<string>();
        var random = new Random(20261205);
        for (int kill = 0; kill < Kills; kill++)
        {
            int target = random.Next(200, 1_500);
            using (var child = StartChild(database))
            {
                using var timeout = new CancellationTokenSource(Patience);
                int seen = 0;
                try
                {
                    while (seen < target && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                    {
                        line.Should().StartWith("ack ");
                        acknowledged.Add(line[4..]);
                        seen++;
                    }
                }
                finally
                {
                    child.Kill();
                    await child.WaitForExitAsync();
                }

                seen.Should().Be(target, "the child acknowledges outcomes until it is killed: {0}", await child.StandardError.ReadToEndAsync());
            }

            var resolved = new HashSet<string>(StringComparer.Ordinal);
            using (var connection = new SqliteConnection($"Data Source={database}"))
            {
                connection.Open();
                using var check = connection.CreateCommand();
                check.CommandText = "PRAGMA integrity_check;";
                check.ExecuteScalar().Should().Be("ok", "after kill {0}", kill);
                using var read = connection.CreateCommand();
                read.CommandText = "SELECT prediction_id FROM selflearning_experiment_resolutions WHERE metric = 'success';";
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    resolved.Add(reader.GetString(0));
                }
            }

            // Every acknowledged outcome is stored and resolved (so a redelivery is refused as already counted).
            acknowledged.Should().OnlyContain(id => resolved.Contains(id), "every outcome acknowledged before kill {0} survives it", kill);
            var store = new SqliteExperimentStore(database);
            (await store.RecordDelayedOutcomeAsync(acknowledged[^1], Child.Metric, 1.0)).Should().BeFalse("an acknowledged outcome is counted once");
            ExperimentTallies tallies = await store.GetTalliesAsync(Child.Experiment);
            long counted = tallies.Get(Child.Metric, ExperimentArm.Champion).Count + tallies.Get(Child.Metric, ExperimentArm.Challenger).Count;
            counted.Should().BeGreaterThanOrEqualTo(acknowledged.Count, "after kill {0}", kill);
            SqliteConnection.ClearAllPools();
        }
    }

    private static Process StartChild(string database) => CrashWriterProcess.Start("outcomes", database);
}
