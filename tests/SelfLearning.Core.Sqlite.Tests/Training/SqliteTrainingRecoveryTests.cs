using SelfLearning.Training;

namespace SelfLearning.Sqlite.Tests.Training;

/// <summary>The recovery test on a SQLite database file.</summary>
public sealed class SqliteTrainingRecoveryTests : TrainingRecoveryTests, IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    protected override string WorkerStoreTarget => _directory.File("training.db");

    public void Dispose() => _directory.Dispose();

    protected override ITrainingJobStore CreateStore() => new SqliteTrainingJobStore(WorkerStoreTarget);
}
