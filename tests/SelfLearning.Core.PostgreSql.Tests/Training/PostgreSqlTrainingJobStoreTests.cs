using Npgsql;
using SelfLearning.Tests.Training;
using SelfLearning.Training;

namespace SelfLearning.PostgreSql.Tests.Training;

/// <summary>The training job store contract on a real PostgreSQL server, plus what only a shared database can show.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlTrainingJobStoreTests(PostgreSqlServer server) : TrainingJobStoreContractTests, IDisposable
{
    private readonly List<PostgreSqlTrainingJobStore> _stores = [];
    private string? _database;

    private string Database => _database ??= server.CreateDatabaseAsync().GetAwaiter().GetResult();

    public void Dispose()
    {
        foreach (PostgreSqlTrainingJobStore store in _stores)
        {
            store.Dispose();
        }
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabase_RaceToClaimOneJob_OnlyOneClaimsIt()
    {
        var left = (PostgreSqlTrainingJobStore)CreateStore();
        var right = (PostgreSqlTrainingJobStore)CreateStore();
        var job = await left.AddAsync(NewJob("a"));

        // Many rounds, each a fresh job claimed by both instances at once: exactly one claim may win every time.
        for (int round = 0; round < 20; round++)
        {
            var queued = round == 0 ? job : await left.AddAsync(NewJob("a" + round));
            var claims = await Task.WhenAll(
                Task.Run(async () => await left.TryUpdateAsync(queued.TransitionTo(TrainingJobState.Running, Start) with { LeaseOwner = "left" })),
                Task.Run(async () => await right.TryUpdateAsync(queued.TransitionTo(TrainingJobState.Running, Start) with { LeaseOwner = "right" })));

            claims.Count(c => c is not null).Should().Be(1, "round {0}", round);
            (await right.GetTransitionsAsync(queued.Id)).Should().ContainSingle();
            (await right.FindAsync(queued.Id))!.LeaseOwner.Should().Be(claims.Single(c => c is not null)!.LeaseOwner);
        }
    }

    [Fact]
    public async Task Database_FinishedJobOrSkippedVersionWrittenBehindTheStore_IsRefusedByTheSchema()
    {
        var store = CreateStore();
        var job = await store.AddAsync(NewJob("a"));
        await store.TryUpdateAsync(job.TransitionTo(TrainingJobState.Cancelled, Start));

        var revive = () => ExecuteAsync("UPDATE selflearning.training_jobs SET version = version + 1, state = 0 WHERE id = 'a';");
        var skip = () => ExecuteAsync("UPDATE selflearning.training_jobs SET version = version + 2 WHERE id = 'a';");

        await revive.Should().ThrowAsync<PostgresException>().WithMessage("*cannot change state*");
        await skip.Should().ThrowAsync<PostgresException>().WithMessage("*version must increase by one*");
    }

    protected override ITrainingJobStore CreateStore()
    {
        var store = new PostgreSqlTrainingJobStore(Database);
        _stores.Add(store);
        return store;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
