using Microsoft.Data.Sqlite;
using SelfLearning.Registry;
using SelfLearning.Tests.Registry;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Sqlite.Tests;

public sealed class SqliteModelRegistryTests : ModelRegistryContractTests
{
    private readonly TemporaryDirectory _directory = new();

    private string DatabasePath => _directory.File("registry.db");

    /// <summary>Every query opens a pooled connection and a snapshot transaction: fewer reads, still millions of instructions of contention.</summary>
    protected override int ConcurrentReads => 40_000;

    protected override IModelRegistry CreateRegistry(TimeProvider timeProvider) => new SqliteModelRegistry(DatabasePath, timeProvider);

    protected override void CorruptStoredArtifact(IModelRegistry registry, string name, int version)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT content FROM selflearning_registry_artifacts WHERE name = $name AND version = $version;";
        read.Parameters.AddWithValue("$name", name);
        read.Parameters.AddWithValue("$version", version);
        var content = (byte[])read.ExecuteScalar()!;
        content[content.Length / 2] ^= 0x01;
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE selflearning_registry_artifacts SET content = $content WHERE name = $name AND version = $version;";
        write.Parameters.AddWithValue("$content", content);
        write.Parameters.AddWithValue("$name", name);
        write.Parameters.AddWithValue("$version", version);
        write.ExecuteNonQuery().Should().Be(1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _directory.Dispose();
        }

        base.Dispose(disposing);
    }

    [Fact]
    public async Task Reopen_SameFile_KeepsEverythingAndAppliesMigrationsOnce()
    {
        var first = new SqliteModelRegistry(DatabasePath, Clock);
        await first.RegisterAsync(Registration(), ArtifactFor(1));
        await first.ActivateAsync(Model, 1, By("ops"));
        await first.SetAliasAsync(Model, "prod", 1, By("ops"));

        var reopened = new SqliteModelRegistry(DatabasePath, Clock);

        var champion = await reopened.GetChampionAsync(Model);
        champion!.Aliases.Should().Equal("prod");
        (await reopened.OpenArtifactAsync(Model, 1)).ToArray().Should().Equal(ArtifactFor(1));
        Query("SELECT group_concat(id) FROM selflearning_schema_migrations;").Should().Be("registry-0001-initial,registry-0002-typed-lineage");
        Query("PRAGMA journal_mode;").Should().Be("wal");
    }

    [Fact]
    public async Task Database_SecondChampionWrittenBehindTheRegistry_IsRefusedByTheSchema()
    {
        var registry = new SqliteModelRegistry(DatabasePath, Clock);
        await registry.RegisterAsync(Registration(), ArtifactFor(1));
        await registry.RegisterAsync(Registration(), ArtifactFor(2));
        await registry.ActivateAsync(Model, 1, By("ops"));

        var act = () => Query("UPDATE selflearning_registry_versions SET stage = 2 WHERE version = 2;");

        act.Should().Throw<SqliteException>().Which.SqliteErrorCode.Should().Be(19, "SQLITE_CONSTRAINT: the unique champion index");
    }

    [Fact]
    public async Task ActiveModelProvider_ChangeFromAnotherInstance_IsSeenAtTheNextPoll()
    {
        var serving = new SqliteModelRegistry(DatabasePath, Clock);
        var admin = new SqliteModelRegistry(DatabasePath, Clock);
        await admin.RegisterAsync(Registration(), new byte[] { 1, 0 });
        await admin.RegisterAsync(Registration(), new byte[] { 2, 0 });
        await admin.ActivateAsync(Model, 1, By("ops"));
        using var provider = new ActiveModelProvider<byte>(
            serving, Model, (_, artifact) => artifact.Span[0], new ActiveModelProviderOptions { PollInterval = TimeSpan.FromSeconds(10) }, Clock);
        await provider.RefreshAsync();

        await admin.ActivateAsync(Model, 2, By("ops"));
        Clock.Advance(TimeSpan.FromSeconds(9));
        byte beforePoll = provider.Current!.Predictor;
        Clock.Advance(TimeSpan.FromSeconds(1));

        beforePoll.Should().Be(1, "the other instance's write is not announced in this one");
        provider.Current!.Predictor.Should().Be(2);
        provider.Current.Version.Version.Should().Be(2);
    }

    private string? Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Test-only constant statements.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command.ExecuteScalar()?.ToString();
    }
}
