using SelfLearning.Sqlite.Tests.Training;
using SelfLearning.Training;
using Worker = SelfLearning.Sqlite.JobWorker.Program;

namespace SelfLearning.PostgreSql.Tests.Training;

/// <summary>
/// The recovery test on PostgreSQL: a child process training on the shared job store is killed (SIGKILL) mid-training,
/// and another instance's engine takes the job over once the dead holder's lease has expired.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlTrainingRecoveryTests(PostgreSqlServer server) : TrainingRecoveryTests, IDisposable
{
    private readonly string _database = server.CreateDatabaseAsync().GetAwaiter().GetResult();
    private readonly List<PostgreSqlTrainingJobStore> _stores = [];

    protected override string WorkerStoreTarget => Worker.PostgresPrefix + _database;

    public void Dispose()
    {
        foreach (PostgreSqlTrainingJobStore store in _stores)
        {
            store.Dispose();
        }
    }

    protected override ITrainingJobStore CreateStore()
    {
        var store = new PostgreSqlTrainingJobStore(_database);
        _stores.Add(store);
        return store;
    }
}
