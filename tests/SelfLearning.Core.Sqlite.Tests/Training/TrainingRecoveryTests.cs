using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SelfLearning.Tests.TestSupport;
using SelfLearning.Training;
using Worker = SelfLearning.Sqlite.JobWorker.Program;

namespace SelfLearning.Sqlite.Tests.Training;

/// <summary>
/// A child process runs a training engine on a job store (SQLite or PostgreSQL, per subclass; real clock, 2 s lease, 200 ms heartbeat) with a
/// trainer that blocks; once the child reports the job Running and a heartbeat renewing its lease, it is killed
/// (SIGKILL). A new engine on the same database, its clock set past the lease expiry, must find the dead job and
/// re-queue it (then complete it) or fail it, as configured; nothing may stay Running.
/// </summary>
public abstract class TrainingRecoveryTests
{
    private const string JobId = "job-1";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Gets what the worker is given as its store: a SQLite path, or <c>postgres:</c> and a connection string.</summary>
    protected abstract string WorkerStoreTarget { get; }

    /// <summary>A job store on the same database the worker uses.</summary>
    protected abstract ITrainingJobStore CreateStore();

    [Theory]
    [InlineData(AbandonedJobBehavior.Requeue)]
    [InlineData(AbandonedJobBehavior.Fail)]
    public async Task Engine_ProcessKilledMidTraining_NextEngineRecoversTheJobAsConfigured(AbandonedJobBehavior behavior)
    {
        var queued = await CreateStore().AddAsync(new TrainingJob
        {
            Id = JobId,
            ModelKey = "triage-calibrator",
            ModelType = Worker.ModelType,
            State = TrainingJobState.Queued,
        });

        var (owner, heartbeatVersion) = await RunWorkerUntilHeartbeatThenKillAsync();

        var store = CreateStore();
        var dead = (await store.FindAsync(JobId))!;
        dead.State.Should().Be(TrainingJobState.Running, "the killed process could not record anything more");
        dead.LeaseOwner.Should().Be(owner);
        dead.Version.Should().BeGreaterThanOrEqualTo(heartbeatVersion, "the heartbeat the child reported was committed");
        dead.Progress!.Stage.Should().Be("blocked", "the heartbeat persisted the trainer's progress");
        var leaseEnd = dead.LeaseExpiresAt!.Value;
        leaseEnd.Should().BeAfter(dead.StartedAt!.Value + Lease, "a heartbeat renewed the lease the claim took");

        // Before the lease ends the job counts as alive: a new engine leaves it alone.
        using (var early = Engine(store, new ManualTimeProvider(leaseEnd - TimeSpan.FromMilliseconds(1)), behavior, out _))
        {
            (await early.RecoverAsync()).Should().Be(0);
        }

        var clock = new ManualTimeProvider(leaseEnd + TimeSpan.FromSeconds(1));
        using var engine = Engine(store, clock, behavior, out var trainer);
        (await engine.RecoverAsync()).Should().Be(1);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var done = await engine.WaitForCompletionAsync(JobId).WaitAsync(Patience);
        await stop.CancelAsync();
        await run;

        var history = await store.GetTransitionsAsync(JobId);
        var abandoned = history[1];
        abandoned.From.Should().Be(TrainingJobState.Running);
        abandoned.At.Should().Be(clock.GetUtcNow());
        abandoned.Reason.Should().Contain("abandoned").And.Contain(owner);
        if (behavior == AbandonedJobBehavior.Requeue)
        {
            done.State.Should().Be(TrainingJobState.Completed);
            done.Attempts.Should().Be(2);
            done.Artifact!.Content.ToArray().Should().Equal(Encoding.UTF8.GetBytes("recovered"));
            trainer.Runs.Should().Be(1);
            history.Select(t => (t.From, t.To)).Should().Equal(
                (TrainingJobState.Queued, TrainingJobState.Running),
                (TrainingJobState.Running, TrainingJobState.Queued),
                (TrainingJobState.Queued, TrainingJobState.Running),
                (TrainingJobState.Running, TrainingJobState.Completed));
        }
        else
        {
            done.State.Should().Be(TrainingJobState.Failed);
            done.FailureReason.Should().Contain("abandoned");
            done.Attempts.Should().Be(1);
            trainer.Runs.Should().Be(0);
            history.Select(t => (t.From, t.To)).Should().Equal(
                (TrainingJobState.Queued, TrainingJobState.Running),
                (TrainingJobState.Running, TrainingJobState.Failed));
        }

        done.LeaseOwner.Should().BeNull();
        (await store.ListAsync(null, [TrainingJobState.Running, TrainingJobState.Paused])).Should().BeEmpty("nothing stays Running");
        queued.Sequence.Should().Be(done.Sequence);
    }

    private static TrainingJobEngine Engine(
        ITrainingJobStore store, TimeProvider clock, AbandonedJobBehavior behavior, out CountingTrainer trainer)
    {
        trainer = new CountingTrainer();
        var options = new TrainingEngineOptions { AbandonedJobs = behavior, InstanceId = "recovering-engine" };
        return new TrainingJobEngine(store, [trainer], new SmallData(), Options.Create(options), clock);
    }

    /// <summary>Starts the worker, reads its protocol until the heartbeat line, kills it and returns the lease owner and heartbeat version.</summary>
    private async Task<(string Owner, long Version)> RunWorkerUntilHeartbeatThenKillAsync()
    {
        using var child = StartWorker();
        string? owner = null;
        long? version = null;
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (version is null && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                string[] parts = line.Split(' ');
                parts[1].Should().Be(JobId);
                if (parts[0] == "running")
                {
                    owner = parts[2];
                }
                else if (parts[0] == "heartbeat")
                {
                    version = long.Parse(parts[2], CultureInfo.InvariantCulture);
                }
            }
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
        }

        string errors = await child.StandardError.ReadToEndAsync();
        errors.Should().BeEmpty("the worker must only stop because it was killed");
        owner.Should().Be(Worker.OwnerPrefix + child.Id.ToString(CultureInfo.InvariantCulture));
        version.Should().NotBeNull("the worker reports a heartbeat before it is killed");
        return (owner!, version!.Value);
    }

    private Process StartWorker()
    {
        string worker = Path.Combine(AppContext.BaseDirectory, "SelfLearning.Core.Sqlite.JobWorker.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(worker);
        start.ArgumentList.Add(WorkerStoreTarget);
        start.ArgumentList.Add(((int)Lease.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(((int)Heartbeat.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException("The job worker did not start.");
    }

    /// <summary>The recovering engine's trainer for the worker's model type: finishes at once and counts its runs.</summary>
    private sealed class CountingTrainer : ITrainer
    {
        private int _runs;

        public string ModelType => Worker.ModelType;

        public TaskKind TaskKind => TaskKind.ScoreCalibration;

        public int Runs => Volatile.Read(ref _runs);

        public Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult(new TrainingResult(
                new TrainingArtifact("test+text", Encoding.UTF8.GetBytes("recovered")),
                new Dictionary<string, double> { ["score"] = 1.0 },
                TrainingParameters.Empty));
        }
    }

    private sealed class SmallData : ITrainingDataProvider
    {
        public ValueTask<TrainingData> GetDataAsync(TrainingJob job, CancellationToken cancellationToken) => ValueTask.FromResult(new TrainingData(
            TrainingTable.ForCalibration([0.1, 0.9, 0.4, 0.7], [false, true, false, true]),
            TrainingTable.ForCalibration([0.2, 0.8], [false, true])));
    }
}
