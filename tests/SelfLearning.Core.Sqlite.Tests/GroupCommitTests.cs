using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace SelfLearning.Sqlite.Tests;

/// <summary>
/// <see cref="SqliteDatabase.WriteGroupedAsync{T}"/>: writes that arrive while a group is being written join it (or the
/// next one) and commit together in one transaction, each in its own savepoint, so a write that fails is undone alone and the rest commit.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WritesQueuedBehindAGroup_AreCommittedTogether_AndAFailingOneIsUndoneAlone()
    {
        var database = new SqliteDatabase(_directory.File("group.db"), TimeProvider.System, NullLogger.Instance);
        database.Write((c, t) => SqliteDatabase.Execute(c, t, "CREATE TABLE numbers (n INTEGER NOT NULL UNIQUE);"));
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();

        // The first write holds its group open until the others are queued behind it.
        Task<SqliteTransaction> first = Task.Run(() => database.WriteGroupedAsync((c, t) =>
        {
            entered.Set();
            gate.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue();
            Insert(c, t, 1);
            return t;
        }));
        entered.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue();
        Task<SqliteTransaction> second = database.WriteGroupedAsync((c, t) => Insert(c, t, 2));
        Task<SqliteTransaction> duplicate = database.WriteGroupedAsync((c, t) => Insert(c, t, 1));
        Task<SqliteTransaction> third = database.WriteGroupedAsync((c, t) => Insert(c, t, 3));
        second.IsCompleted.Should().BeFalse("a write queued behind a group waits for its own group's commit");
        gate.Set();

        // The group still open when they arrived takes them: one transaction, one commit, one sync for all four.
        SqliteTransaction group = await first;
        (await second).Should().BeSameAs(group);
        (await third).Should().BeSameAs(group);
        (await duplicate.Invoking(async d => await d).Should().ThrowAsync<SqliteException>()).Which.SqliteErrorCode.Should().Be(19, "a UNIQUE constraint");
        database.Read((c, t) => SqliteDatabase.Scalar(c, t, "SELECT group_concat(n) FROM (SELECT n FROM numbers ORDER BY n);"))
            .Should().Be("1,2,3", "the duplicate alone was undone");
    }

    [Fact]
    public async Task ManyWritersAtOnce_EveryWriteIsCommittedOnceAndAcknowledgedAfterItsCommit()
    {
        var database = new SqliteDatabase(_directory.File("many.db"), TimeProvider.System, NullLogger.Instance);
        database.Write((c, t) => SqliteDatabase.Execute(c, t, "CREATE TABLE numbers (n INTEGER NOT NULL UNIQUE);"));
        const int Writers = 8;
        const int PerWriter = 250;

        // Each writer checks, once its write is acknowledged, that a fresh connection already sees it.
        int[] unseen = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            int missing = 0;
            for (int i = 0; i < PerWriter; i++)
            {
                int n = (w * PerWriter) + i;
                await database.WriteGroupedAsync((c, t) => Insert(c, t, n));
                missing += database.Read((c, t) => SqliteDatabase.Scalar(c, t, "SELECT 1 FROM numbers WHERE n = $n;", ("$n", n))) is null ? 1 : 0;
            }

            return missing;
        })));

        unseen.Sum().Should().Be(0);
        database.Read((c, t) => (long)SqliteDatabase.Scalar(c, t, "SELECT count(*) FROM numbers;")!).Should().Be(Writers * PerWriter);
    }

    private static SqliteTransaction Insert(SqliteConnection connection, SqliteTransaction transaction, int n)
    {
        SqliteDatabase.Execute(connection, transaction, "INSERT INTO numbers (n) VALUES ($n);", ("$n", n));
        return transaction;
    }
}
