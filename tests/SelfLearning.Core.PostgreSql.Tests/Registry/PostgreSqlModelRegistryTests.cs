using Npgsql;
using SelfLearning.Registry;
using SelfLearning.Tests.Registry;

namespace SelfLearning.PostgreSql.Tests.Registry;

/// <summary>The registry contract on a real PostgreSQL server, plus what only a shared database can show.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlModelRegistryTests(PostgreSqlServer server) : ModelRegistryContractTests
{
    private readonly string _database = server.CreateDatabaseAsync().GetAwaiter().GetResult();
    private readonly List<PostgreSqlModelRegistry> _registries = [];

    /// <summary>Every read is a round trip to the server: fewer reads, still contention with the writer.</summary>
    protected override int ConcurrentReads => 4_000;

    [Fact]
    public async Task TwoInstancesOnOneDatabase_ActivatingAtOnce_LeaveExactlyOneChampionAndAGaplessHistory()
    {
        var left = (PostgreSqlModelRegistry)CreateRegistry(TimeProvider.System);
        var right = (PostgreSqlModelRegistry)CreateRegistry(TimeProvider.System);
        for (int v = 1; v <= 6; v++)
        {
            await (v % 2 == 0 ? left : right).RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "test" }, new byte[] { (byte)v, 1, 2, 3 });
        }

        // Both instances activate versions at once, twenty rounds; the registry decides each write again on the newer state.
        for (int round = 0; round < 20; round++)
        {
            await Task.WhenAll(
                Task.Run(async () => await left.ActivateAsync("triage", 1 + (round % 6), new RegistryChange("left"))),
                Task.Run(async () => await right.ActivateAsync("triage", 1 + ((round + 3) % 6), new RegistryChange("right"))));
        }

        RegisteredModel model = await left.GetModelAsync("triage");
        model.Versions.Select(v => v.Version).Should().Equal(1, 2, 3, 4, 5, 6);
        model.Versions.Count(v => v.Stage == ModelStage.Champion).Should().Be(1);
        IReadOnlyList<StageTransition> history = await right.GetHistoryAsync("triage");
        history.Select(h => h.Sequence).Should().Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), "no transition is lost or written twice");
    }

    [Fact]
    public async Task Database_SecondChampionWrittenBehindTheRegistry_IsRefusedByTheSchema()
    {
        var registry = CreateRegistry(TimeProvider.System);
        await registry.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "test" }, new byte[] { 1 });
        await registry.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "test" }, new byte[] { 2 });
        await registry.ActivateAsync("triage", 1, new RegistryChange("ops"));

        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE selflearning.registry_versions SET stage = 2 WHERE name = 'triage' AND version = 2;", connection);
        Func<Task> second = () => command.ExecuteNonQueryAsync();

        (await second.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
    }

    protected override IModelRegistry CreateRegistry(TimeProvider timeProvider)
    {
        var registry = new PostgreSqlModelRegistry(_database, timeProvider);
        _registries.Add(registry);
        return registry;
    }

    protected override void CorruptStoredArtifact(IModelRegistry registry, string name, int version)
    {
        using var connection = new NpgsqlConnection(_database);
        connection.Open();
        using var write = new NpgsqlCommand(
            "UPDATE selflearning.registry_artifacts SET content = set_byte(content, length(content) / 2, get_byte(content, length(content) / 2) # 1) WHERE name = $1 AND version = $2;",
            connection);
        write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        write.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        write.ExecuteNonQuery().Should().Be(1);
    }

    protected override void Dispose(bool disposing)
    {
        foreach (PostgreSqlModelRegistry registry in _registries)
        {
            registry.Dispose();
        }

        base.Dispose(disposing);
    }
}
