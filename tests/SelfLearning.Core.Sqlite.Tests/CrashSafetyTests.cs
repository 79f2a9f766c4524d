using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SelfLearning.Registry;
using Writer = SelfLearning.Sqlite.CrashWriter.Program;

namespace SelfLearning.Sqlite.Tests;

/// <summary>
/// A child process writes to a registry and is killed (SIGKILL) at varied points, twenty times, on one
/// database file. After every kill the file must open, pass SQLite's integrity check, hold every version
/// the child reported committed (bytes verified), and hold nothing half-written.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int Kills = 20;
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RegistryWriter_KilledMidWriteTwentyTimes_KeepsExactlyTheCommittedVersionsIntact()
    {
        string database = _directory.File("crash.db");
        var committed = new Dictionary<int, string>();
        var random = new Random(20240601);
        int writesSeen = 0;

        for (int kill = 0; kill < Kills; kill++)
        {
            // Kill right after the child announces a write ("begin": mid-transaction) or a commit (the next
            // statement is starting), after a varied number of events.
            string trigger = random.Next(2) == 0 ? "begin" : "committed";
            int events = random.Next(1, 6);
            int? inFlight = null;
            using (var child = StartWriter(database))
            {
                int seen = 0;
                string? line;
                while ((line = await child.StandardOutput.ReadLineAsync()) is not null)
                {
                    inFlight = Apply(line, committed, inFlight);
                    writesSeen++;
                    if (line.StartsWith(trigger + " ", StringComparison.Ordinal) && ++seen == events)
                    {
                        child.Kill();
                        break;
                    }
                }

                await child.WaitForExitAsync();
                while ((line = await child.StandardOutput.ReadLineAsync()) is not null)
                {
                    inFlight = Apply(line, committed, inFlight);
                }

                string errors = await child.StandardError.ReadToEndAsync();
                errors.Should().BeEmpty("the writer must only stop because it was killed");
            }

            await VerifyAsync(database, committed, inFlight, kill);
        }

        committed.Count.Should().BeGreaterThan(Kills, "every child committed at least one version");
        writesSeen.Should().BeGreaterThan(2 * Kills);
    }

    private static int? Apply(string line, Dictionary<int, string> committed, int? inFlight)
    {
        string[] parts = line.Split(' ');
        int version = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        switch (parts[0])
        {
            case "begin":
                return version;
            case "committed":
                committed[version] = parts[2];
                return null;
            default:
                return inFlight;
        }
    }

    private static async Task VerifyAsync(string database, Dictionary<int, string> committed, int? inFlight, int kill)
    {
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            check.ExecuteScalar().Should().Be("ok", $"the database must be intact after kill {kill}");
        }

        var registry = new SqliteModelRegistry(database);
        var model = await registry.GetModelAsync(Writer.Model);
        var present = model.Versions.Select(v => v.Version).ToList();

        // A version committed just before the kill may not have been reported yet; anything else present
        // must have been reported, and everything reported must be present.
        var unreported = present.Where(v => !committed.ContainsKey(v)).ToList();
        unreported.Should().BeSubsetOf(inFlight is int f ? [f] : Array.Empty<int>(), $"after kill {kill} only the write in flight may be there unannounced");
        committed.Keys.Should().BeSubsetOf(present, $"after kill {kill} every reported commit must have survived");
        present.Should().Equal(Enumerable.Range(1, present.Count), "version numbers stay contiguous");

        foreach (var version in model.Versions)
        {
            if (committed.TryGetValue(version.Version, out string? sha))
            {
                version.ArtifactSha256.Should().Be(sha);
            }

            var artifact = await registry.OpenArtifactAsync(Writer.Model, version.Version);
            artifact.ToArray().Should().Equal(Writer.Artifact(version.Version), $"version {version.Version} must read back exactly");
            committed[version.Version] = version.ArtifactSha256;
        }

        model.Versions.Count(v => v.Stage == ModelStage.Champion).Should().BeLessThanOrEqualTo(1);
        var history = await registry.GetHistoryAsync(Writer.Model);
        history.Count(t => t.Operation == RegistryOperation.Register).Should().Be(present.Count, "each version's registration is in the history, in the same transaction");
    }

    private static Process StartWriter(string database) => CrashWriterProcess.Start(database);
}
