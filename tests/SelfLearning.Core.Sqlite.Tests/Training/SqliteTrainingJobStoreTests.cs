using Microsoft.Data.Sqlite;
using SelfLearning.Tests.Training;
using SelfLearning.Training;

namespace SelfLearning.Sqlite.Tests.Training;

public sealed class SqliteTrainingJobStoreTests : TrainingJobStoreContractTests, IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    private string DatabasePath => _directory.File("training.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Reopen_SameFile_KeepsJobsAndHistoryAndAppliesMigrationsOnce()
    {
        var first = new SqliteTrainingJobStore(DatabasePath);
        var job = await first.AddAsync(NewJob("a"));
        await first.TryUpdateAsync(job.TransitionTo(TrainingJobState.Running, Start) with { LeaseOwner = "x", LeaseExpiresAt = Start }, "go");

        var reopened = new SqliteTrainingJobStore(DatabasePath);
        var again = new SqliteTrainingJobStore(DatabasePath);

        (await reopened.FindAsync("a")).Should().Be(await first.FindAsync("a"));
        (await again.GetTransitionsAsync("a")).Should().ContainSingle().Which.Reason.Should().Be("go");
        Query("SELECT group_concat(id) FROM selflearning_schema_migrations;").Should().Be("training-0001-initial");
        Query("PRAGMA journal_mode;").Should().Be("wal");
    }

    [Fact]
    public async Task Database_StaleVersionWrittenBehindTheStore_IsRefusedByTheSchema()
    {
        var store = new SqliteTrainingJobStore(DatabasePath);
        await store.AddAsync(NewJob("a"));

        var sameVersion = () => Query("UPDATE selflearning_training_jobs SET priority = 5 WHERE id = 'a';");
        var skippedVersion = () => Query("UPDATE selflearning_training_jobs SET version = 3 WHERE id = 'a';");

        sameVersion.Should().Throw<SqliteException>().WithMessage("*version must increase by one*");
        skippedVersion.Should().Throw<SqliteException>().WithMessage("*version must increase by one*");
        Query("UPDATE selflearning_training_jobs SET version = 2, priority = 5 WHERE id = 'a' RETURNING priority;").Should().Be("5");
    }

    [Fact]
    public async Task Database_FinishedJobChangedBehindTheStore_IsRefusedByTheSchema()
    {
        var store = new SqliteTrainingJobStore(DatabasePath);
        var job = await store.AddAsync(NewJob("a"));
        await store.TryUpdateAsync(job.TransitionTo(TrainingJobState.Cancelled, Start));

        var revive = () => Query("UPDATE selflearning_training_jobs SET version = version + 1, state = 0 WHERE id = 'a';");

        revive.Should().Throw<SqliteException>().WithMessage("*cannot change state*");
    }

    [Fact]
    public async Task TwoStoresOnOneFile_RaceOnOneJob_OnlyOneClaimsIt()
    {
        var left = new SqliteTrainingJobStore(DatabasePath);
        var right = new SqliteTrainingJobStore(DatabasePath);
        var job = await left.AddAsync(NewJob("a"));

        var claims = await Task.WhenAll(
            Task.Run(async () => await left.TryUpdateAsync(job.TransitionTo(TrainingJobState.Running, Start) with { LeaseOwner = "left" })),
            Task.Run(async () => await right.TryUpdateAsync(job.TransitionTo(TrainingJobState.Running, Start) with { LeaseOwner = "right" })));

        claims.Count(c => c is not null).Should().Be(1);
        (await left.GetTransitionsAsync("a")).Should().ContainSingle();
        (await right.FindAsync("a"))!.LeaseOwner.Should().Be(claims.Single(c => c is not null)!.LeaseOwner);
    }

    protected override ITrainingJobStore CreateStore() => new SqliteTrainingJobStore(DatabasePath);

    private string? Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
