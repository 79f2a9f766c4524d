using System.Globalization;
using Microsoft.Extensions.Options;
using SelfLearning.Training;

namespace SelfLearning.Sqlite.JobWorker;

/// <summary>
/// Runs a <see cref="TrainingJobEngine"/> on the real system clock over a SQLite (or, given "postgres:…", a PostgreSQL) job store, with a trainer of model
/// type <see cref="ModelType"/> that blocks forever once started, until the process is killed. Protocol on stdout,
/// one line per event, flushed at once: <c>running JOB OWNER</c> once the engine has claimed a queued job and its
/// trainer is blocked, then <c>heartbeat JOB VERSION LEASE_EXPIRES_UTC_TICKS</c> once a heartbeat has renewed the lease.
/// </summary>
public static class Program
{
    /// <summary>The model type of the blocking trainer.</summary>
    public const string ModelType = "blocking";

    /// <summary>The lease owner this worker writes, with its process id appended.</summary>
    public const string OwnerPrefix = "job-worker:";

    /// <summary>The prefix of a store target that is a PostgreSQL connection string rather than a SQLite path.</summary>
    public const string PostgresPrefix = "postgres:";

    /// <summary>How often the worker reads the store while waiting for the engine's first heartbeat.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs the worker.</summary>
    /// <param name="args">The database path, the lease duration and the heartbeat interval in milliseconds.</param>
    /// <returns>2 on bad arguments; otherwise it runs until killed.</returns>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3
            || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int leaseMs)
            || !int.TryParse(args[2], CultureInfo.InvariantCulture, out int heartbeatMs))
        {
            await Console.Error.WriteLineAsync("usage: SelfLearning.Core.Sqlite.JobWorker <database path | postgres:connection string> <lease ms> <heartbeat ms>");
            return 2;
        }

        // "postgres:<connection string>" runs on a PostgreSQL job store; anything else is a SQLite database path.
        ITrainingJobStore store = args[0].StartsWith(PostgresPrefix, StringComparison.Ordinal)
            ? new SelfLearning.PostgreSql.PostgreSqlTrainingJobStore(args[0][PostgresPrefix.Length..])
            : new SqliteTrainingJobStore(args[0]);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new TrainingEngineOptions
        {
            LeaseDuration = TimeSpan.FromMilliseconds(leaseMs),
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs),
            InstanceId = OwnerPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };
        using var engine = new TrainingJobEngine(store, [new BlockingTrainer(started)], new SmallData(), Options.Create(options));
        var run = engine.RunAsync(CancellationToken.None);

        await started.Task;
        var job = (await store.ListAsync(null, [TrainingJobState.Running])).Single();
        await WriteLineAsync($"running {job.Id} {job.LeaseOwner}");

        var claimed = job;
        while (job.Version == claimed.Version || job.LeaseExpiresAt <= claimed.LeaseExpiresAt)
        {
            await Task.Delay(PollInterval);
            job = (await store.FindAsync(job.Id))!;
        }

        await WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"heartbeat {job.Id} {job.Version} {job.LeaseExpiresAt!.Value.UtcTicks}"));
        await run;
        return 0;
    }

    private static async Task WriteLineAsync(string line)
    {
        await Console.Out.WriteLineAsync(line);
        await Console.Out.FlushAsync();
    }

    /// <summary>Reports progress, then blocks until cancelled (which never happens: the process is killed).</summary>
    private sealed class BlockingTrainer(TaskCompletionSource started) : ITrainer
    {
        public string ModelType => Program.ModelType;

        public SelfLearning.Training.TaskKind TaskKind => SelfLearning.Training.TaskKind.ScoreCalibration;

        public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
        {
            context.Report(50, "blocked");
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private sealed class SmallData : ITrainingDataProvider
    {
        public ValueTask<TrainingData> GetDataAsync(TrainingJob job, CancellationToken cancellationToken) => ValueTask.FromResult(new TrainingData(
            TrainingTable.ForCalibration([0.1, 0.9, 0.4, 0.7], [false, true, false, true]),
            TrainingTable.ForCalibration([0.2, 0.8], [false, true])));
    }
}
