using SelfLearning.Registry;
using SelfLearning.Sqlite;

namespace SelfLearning.Sqlite.CrashWriter;

/// <summary>
/// Registers versions of one model into a SQLite registry, and activates every third, until killed.
/// Protocol on stdout, one line per event, flushed at once: <c>begin N</c> before the write of version N
/// starts, <c>committed N SHA256</c> after it commits, <c>activated N</c> after its activation commits.
/// Artifact N is <see cref="Artifact"/>(N), so the parent can check the bytes as well as the hash.
/// </summary>
public static class Program
{
    public const string Model = "crash-model";

    public static async Task<int> Main(string[] args)
    {
        if (args is ["rollout", var database])
        {
            return await RolloutChild.RunAsync(database);
        }

        if (args is ["outcomes", var outcomeDatabase])
        {
            return await OutcomeChild.RunAsync(outcomeDatabase);
        }

        if (args.Length != 1)
        {
            await Console.Error.WriteLineAsync("usage: SelfLearning.Core.Sqlite.CrashWriter [rollout | outcomes] <database path>");
            return 2;
        }

        var registry = new SqliteModelRegistry(args[0]);
        var models = await registry.ListModelsAsync();
        int next = models.Contains(Model) ? (await registry.GetModelAsync(Model)).Versions.Count + 1 : 1;
        var output = Console.Out;
        while (true)
        {
            await output.WriteLineAsync($"begin {next}");
            await output.FlushAsync();
            var version = await registry.RegisterAsync(
                new ModelRegistration { Name = Model, CreatedBy = "crash-writer", Metrics = new Dictionary<string, double> { ["n"] = next } },
                Artifact(next));
            await output.WriteLineAsync($"committed {version.Version} {version.ArtifactSha256}");
            await output.FlushAsync();
            if (version.Version % 3 == 0)
            {
                await registry.ActivateAsync(Model, version.Version, new RegistryChange("crash-writer", "every third"));
                await output.WriteLineAsync($"activated {version.Version}");
                await output.FlushAsync();
            }

            next = version.Version + 1;
        }
    }

    /// <summary>The artifact of version <paramref name="version"/>: 1 KiB to 257 KiB of seeded bytes.</summary>
    public static byte[] Artifact(int version)
    {
        var bytes = new byte[1024 + ((version * 7919) % (256 * 1024))];
        new Random(version).NextBytes(bytes);
        return bytes;
    }
}
