using Microsoft.Extensions.Options;
using SelfLearning.Tests.TestSupport;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class TrainingJobEngineTests
{
    private readonly ManualTimeProvider _time = new(TrainingTestData.Start);
    private readonly InMemoryTrainingJobStore _store = new();

    [Fact]
    public async Task Run_JobCompletes_RecordsArtifactMetricsUsageAndHistory()
    {
        var trainer = new ScriptedTrainer("t", (ctx, ct) =>
        {
            ctx.Report(50, "fitting");
            return Task.FromResult(TrainingTestData.Result("abc"));
        });
        using var engine = TrainingTestData.Engine(_store, _time, null, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);

        var queued = await engine.EnqueueAsync(new TrainingRequest("m", "t") { Seed = 7 });
        var done = await engine.WaitFor(queued.Job.Id, j => TrainingJobTransitions.IsTerminal(j.State));

        done.State.Should().Be(TrainingJobState.Completed);
        done.Attempts.Should().Be(1);
        done.Artifact!.Content.ToArray().Should().Equal("abc"u8.ToArray());
        done.Metrics.Should().ContainKey("score").WhoseValue.Should().Be(1.0);
        done.ResourceUsage.Should().NotBeNull();
        done.ResourceUsage!.AllocatedBytes.Should().BeGreaterThanOrEqualTo(0);
        done.Progress!.Percent.Should().Be(100);
        done.LeaseOwner.Should().BeNull();
        (await engine.GetHistoryAsync(done.Id)).Select(t => (t.From, t.To)).Should().Equal(
            (TrainingJobState.Queued, TrainingJobState.Running), (TrainingJobState.Running, TrainingJobState.Completed));
        FixedDataProvider.Small.Calls.Should().BeGreaterThan(0);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Enqueue_ModelBusyAndSkip_ReturnsSkippedWithTheActiveJob()
    {
        using var engine = TrainingTestData.Engine(_store, _time);
        var first = await engine.EnqueueAsync(new TrainingRequest("m", "t"));

        var second = await engine.EnqueueAsync(new TrainingRequest("m", "t") { WhenBusy = BusyModelBehavior.Skip });
        var queued = await engine.EnqueueAsync(new TrainingRequest("m", "t") { WhenBusy = BusyModelBehavior.Queue });

        second.IsQueued.Should().BeFalse();
        second.Job.Id.Should().Be(first.Job.Id);
        second.SkipReason.Should().Contain("already has job");
        queued.IsQueued.Should().BeTrue();
        (await engine.ListAsync("m")).Should().HaveCount(2);
    }

    [Fact]
    public async Task Run_ThousandRequestsFromManyThreadsQueuedBeforeStart_StartInPriorityThenArrivalOrder()
    {
        var data = new RecordingDataProvider();
        var trainer = new ConcurrencyProbeTrainer();
        using var engine = TrainingTestData.Engine(_store, _time, data, null, trainer);
        await Parallel.ForAsync(0, 1000, async (i, ct) => await engine.EnqueueAsync(
            new TrainingRequest($"model-{i % 10}", "probe")
            {
                Priority = (i * 7) % 5,
                WhenBusy = BusyModelBehavior.Queue,
                Parameters = TrainingParameters.Empty.With("model", $"model-{i % 10}"),
            },
            ct));
        var jobs = await engine.ListAsync();
        jobs.Select(j => j.Sequence).Should().OnlyHaveUniqueItems();

        await RunUntilAllFinishedAsync(engine, jobs);

        // One slot (the default): jobs start one after another, so the start order is the queue order.
        data.Started.Should().HaveCount(1000);
        data.Started.Select(j => (-j.Priority, j.Sequence)).Should().BeInAscendingOrder();
        trainer.MaxRunning.Should().Be(1);
    }

    [Fact]
    public async Task Run_BurstOfThousandTriggersForTenModelsOnManyThreads_NeverRunsTwoJobsOfOneModelAtOnce()
    {
        var trainer = new ConcurrencyProbeTrainer();
        var data = new RecordingDataProvider();
        using var engine = TrainingTestData.Engine(_store, _time, data, new TrainingEngineOptions { MaxConcurrency = 4 }, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);

        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) => await engine.EnqueueAsync(
            new TrainingRequest($"model-{i % 10}", "probe")
            {
                Priority = i % 3,
                WhenBusy = BusyModelBehavior.Queue,
                Parameters = TrainingParameters.Empty.With("model", $"model-{i % 10}"),
            },
            ct));
        var jobs = await engine.ListAsync();
        foreach (var job in jobs)
        {
            await engine.WaitFor(job.Id, j => j.State == TrainingJobState.Completed);
        }

        await stop.CancelAsync();
        await run;
        trainer.Completed.Should().Be(1000);
        trainer.MaxPerModel.Should().Be(1);
        trainer.MaxRunning.Should().BeInRange(2, 4, "four slots and ten models let several models train at once");
    }

    [Fact]
    public async Task Run_BusyModel_LowerPriorityJobOfAnotherModelRunsMeanwhile()
    {
        var release = new TaskCompletionSource<TrainingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var data = new RecordingDataProvider();
        var blocking = new ScriptedTrainer("block", (_, ct) => release.Task.WaitAsync(ct));
        var quick = new ScriptedTrainer("quick", (_, _) => Task.FromResult(TrainingTestData.Result()));
        using var engine = TrainingTestData.Engine(_store, _time, data, new TrainingEngineOptions { MaxConcurrency = 2 }, blocking, quick);
        var a1 = await engine.EnqueueAsync(new TrainingRequest("a", "block") { Priority = 9 });
        var a2 = await engine.EnqueueAsync(new TrainingRequest("a", "quick") { Priority = 5, WhenBusy = BusyModelBehavior.Queue });
        var b = await engine.EnqueueAsync(new TrainingRequest("b", "quick") { Priority = 1 });
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);

        await engine.WaitFor(b.Job.Id, j => j.State == TrainingJobState.Completed);
        (await engine.FindAsync(a2.Job.Id))!.State.Should().Be(TrainingJobState.Queued, "model a is busy with its first job");
        release.SetResult(TrainingTestData.Result());
        await engine.WaitFor(a2.Job.Id, j => j.State == TrainingJobState.Completed);

        // a1 and b start on two slots at once, so which asks for its data first is a race; a2 must come last.
        var started = data.Started.Select(j => j.Id).ToList();
        started.Take(2).Should().BeEquivalentTo([a1.Job.Id, b.Job.Id]);
        started.Should().HaveCount(3).And.EndWith(a2.Job.Id);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task PauseAndResume_RunningJob_TrainerWaitsAtCheckpointUntilResumed()
    {
        var reachedFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int checkpointsPassed = 0;
        var trainer = new ScriptedTrainer("t", async (ctx, ct) =>
        {
            reachedFirst.SetResult();
            await proceed.Task.WaitAsync(ct);
            await ctx.CheckpointAsync(ct);
            Interlocked.Increment(ref checkpointsPassed);
            return TrainingTestData.Result();
        });
        using var engine = TrainingTestData.Engine(_store, _time, null, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var job = (await engine.EnqueueAsync(new TrainingRequest("m", "t"))).Job;
        await reachedFirst.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var paused = await engine.PauseAsync(job.Id);
        proceed.SetResult();
        var pauseAgain = () => engine.PauseAsync(job.Id);

        paused.State.Should().Be(TrainingJobState.Paused);
        await pauseAgain.Should().ThrowAsync<InvalidOperationException>().WithMessage("*cannot move from Paused to Paused*");
        (await engine.FindAsync(job.Id))!.State.Should().Be(TrainingJobState.Paused);
        Volatile.Read(ref checkpointsPassed).Should().Be(0);
        (await engine.ResumeAsync(job.Id)).State.Should().Be(TrainingJobState.Running);
        var done = await engine.WaitFor(job.Id, j => TrainingJobTransitions.IsTerminal(j.State));

        done.State.Should().Be(TrainingJobState.Completed);
        checkpointsPassed.Should().Be(1);
        (await engine.GetHistoryAsync(job.Id)).Select(t => t.To).Should().Equal(
            TrainingJobState.Running, TrainingJobState.Paused, TrainingJobState.Running, TrainingJobState.Completed);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Cancel_QueuedJob_IsCancelledWithoutRunning()
    {
        int runs = 0;
        var trainer = new ScriptedTrainer("t", (_, _) =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(TrainingTestData.Result());
        });
        using var engine = TrainingTestData.Engine(_store, _time, null, trainer);
        var job = (await engine.EnqueueAsync(new TrainingRequest("m", "t"))).Job;

        var cancelled = await engine.CancelAsync(job.Id);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var other = (await engine.EnqueueAsync(new TrainingRequest("n", "t"))).Job;
        await engine.WaitFor(other.Id, j => j.State == TrainingJobState.Completed);
        var cancelAgain = () => engine.CancelAsync(job.Id);

        cancelled.State.Should().Be(TrainingJobState.Cancelled);
        runs.Should().Be(1, "only the other job ran");
        await cancelAgain.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Cancelled is terminal*");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Cancel_RunningJob_TrainerObservesTokenAndJobEndsCancelled()
    {
        var (trainer, started) = BlockedUntilCancelled();
        using var engine = TrainingTestData.Engine(_store, _time, null, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var job = (await engine.EnqueueAsync(new TrainingRequest("m", "t"))).Job;
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await engine.CancelAsync(job.Id);
        var done = await engine.WaitFor(job.Id, j => TrainingJobTransitions.IsTerminal(j.State));

        done.State.Should().Be(TrainingJobState.Cancelled);
        done.LeaseOwner.Should().BeNull();
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Run_TransientFailures_RetryWithExponentialBackoffAndRecordAttempts()
    {
        int calls = 0;
        var trainer = new ScriptedTrainer("t", (_, _) => Interlocked.Increment(ref calls) <= 2
            ? throw new TransientTrainingException("source busy")
            : Task.FromResult(TrainingTestData.Result()));
        var options = new TrainingEngineOptions { RetryBaseDelay = TimeSpan.FromSeconds(10), MaxAttempts = 3 };
        using var engine = TrainingTestData.Engine(_store, _time, options, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var job = (await engine.EnqueueAsync(new TrainingRequest("m", "t"))).Job;

        var first = await engine.WaitFor(job.Id, j => j.State == TrainingJobState.Queued && j.Attempts == 1);
        first.NotBefore.Should().Be(TrainingTestData.Start + TimeSpan.FromSeconds(10));
        first.FailureReason.Should().Contain("source busy");
        _time.Advance(TimeSpan.FromSeconds(9));
        (await engine.FindAsync(job.Id))!.Attempts.Should().Be(1, "the back-off has not ended");
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await engine.WaitFor(job.Id, j => j.State == TrainingJobState.Queued && j.Attempts == 2);
        second.NotBefore.Should().Be(TrainingTestData.Start + TimeSpan.FromSeconds(10 + 20), "the delay doubles");
        _time.Advance(TimeSpan.FromSeconds(20));
        var done = await engine.WaitFor(job.Id, j => TrainingJobTransitions.IsTerminal(j.State));

        done.State.Should().Be(TrainingJobState.Completed);
        done.Attempts.Should().Be(3);
        calls.Should().Be(3);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Run_TransientFailuresExhaustAttempts_FailsWithReasonAndCount()
    {
        var trainer = new ScriptedTrainer("t", (_, _) => throw new TransientTrainingException("source busy"));
        var options = new TrainingEngineOptions { RetryBaseDelay = TimeSpan.FromSeconds(1), MaxAttempts = 2 };
        using var engine = TrainingTestData.Engine(_store, _time, options, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var job = (await engine.EnqueueAsync(new TrainingRequest("m", "t"))).Job;

        await engine.WaitFor(job.Id, j => j.State == TrainingJobState.Queued && j.Attempts == 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        var done = await engine.WaitFor(job.Id, j => TrainingJobTransitions.IsTerminal(j.State));

        done.State.Should().Be(TrainingJobState.Failed);
        done.Attempts.Should().Be(2);
        done.FailureReason.Should().Contain("source busy").And.Contain("all 2 attempts");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Run_PermanentFailure_FailsAtOnceWithReason()
    {
        var trainer = new ScriptedTrainer("t", (_, _) => throw new ArgumentException("bad data", "context"));
        using var engine = TrainingTestData.Engine(_store, _time, null, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var job = (await engine.EnqueueAsync(new TrainingRequest("m", "t"))).Job;
        var unknown = (await engine.EnqueueAsync(new TrainingRequest("n", "nope"))).Job;

        var done = await engine.WaitFor(job.Id, j => TrainingJobTransitions.IsTerminal(j.State));
        var noTrainer = await engine.WaitFor(unknown.Id, j => TrainingJobTransitions.IsTerminal(j.State));

        done.State.Should().Be(TrainingJobState.Failed);
        done.Attempts.Should().Be(1);
        done.FailureReason.Should().StartWith("ArgumentException: bad data");
        noTrainer.State.Should().Be(TrainingJobState.Failed);
        noTrainer.FailureReason.Should().Contain("No trainer is registered for model type 'nope'");
        await stop.CancelAsync();
        await run;
    }

    [Theory]
    [InlineData(AbandonedJobBehavior.Requeue, TrainingJobState.Completed)]
    [InlineData(AbandonedJobBehavior.Fail, TrainingJobState.Failed)]
    public async Task Run_JobAbandonedByDeadEngine_IsRecoveredOnStartAsConfigured(AbandonedJobBehavior behavior, TrainingJobState expected)
    {
        var dead = await AbandonedJobAsync(leaseExpiresAt: TrainingTestData.Start - TimeSpan.FromSeconds(1));
        var trainer = new ScriptedTrainer("t", (_, _) => Task.FromResult(TrainingTestData.Result()));
        using var engine = TrainingTestData.Engine(_store, _time, new TrainingEngineOptions { AbandonedJobs = behavior }, trainer);

        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var done = await engine.WaitFor(dead.Id, j => TrainingJobTransitions.IsTerminal(j.State));

        done.State.Should().Be(expected);
        var history = await engine.GetHistoryAsync(dead.Id);
        history.Should().Contain(t => t.From == TrainingJobState.Running && t.Reason!.Contains("abandoned") && t.Reason.Contains("dead-engine"));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Run_AbandonedJobWithLiveLease_IsRecoveredOnlyAfterTheLeaseExpires()
    {
        var dead = await AbandonedJobAsync(leaseExpiresAt: TrainingTestData.Start + TimeSpan.FromSeconds(90));
        var trainer = new ScriptedTrainer("t", (_, _) => Task.FromResult(TrainingTestData.Result()));
        using var engine = TrainingTestData.Engine(_store, _time, null, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var recoveredNow = await engine.RecoverAsync();

        recoveredNow.Should().Be(0);
        (await engine.FindAsync(dead.Id))!.State.Should().Be(TrainingJobState.Running);
        for (int i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(30)); // the dispatcher's maintenance pass runs every heartbeat interval
        }

        var done = await engine.WaitFor(dead.Id, j => TrainingJobTransitions.IsTerminal(j.State));
        done.State.Should().Be(TrainingJobState.Completed);
        done.Attempts.Should().Be(2);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Heartbeat_LongRunningJob_KeepsItsLeaseSoAnotherEngineDoesNotRecoverIt()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<TrainingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var trainer = new ScriptedTrainer("t", (_, ct) =>
        {
            started.SetResult();
            return release.Task.WaitAsync(ct);
        });
        using var engine = TrainingTestData.Engine(_store, _time, null, trainer);
        using var other = TrainingTestData.Engine(_store, _time, null, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var job = (await engine.EnqueueAsync(new TrainingRequest("m", "t"))).Job;
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        for (int i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            await engine.WaitFor(job.Id, j => j.LeaseExpiresAt > _time.GetUtcNow() + TimeSpan.FromSeconds(60));
        }

        (await other.RecoverAsync()).Should().Be(0, "ten minutes in, the heartbeat has kept the two-minute lease alive");
        release.SetResult(TrainingTestData.Result());
        (await engine.WaitFor(job.Id, j => TrainingJobTransitions.IsTerminal(j.State))).State.Should().Be(TrainingJobState.Completed);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_Stopped_RequeuesRunningJobForTheNextStart()
    {
        var (trainer, started) = BlockedUntilCancelled();
        using var engine = TrainingTestData.Engine(_store, _time, null, trainer);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        var job = (await engine.EnqueueAsync(new TrainingRequest("m", "t"))).Job;
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await stop.CancelAsync();
        await run;

        var stored = (await engine.FindAsync(job.Id))!;
        stored.State.Should().Be(TrainingJobState.Queued);
        stored.FailureReason.Should().Contain("engine stopped");
    }

    [Fact]
    public void Ctor_InvalidOptionsOrDuplicateTrainers_ThrowsNamingTheArgument()
    {
        var t = new ScriptedTrainer("t", (_, _) => Task.FromResult(TrainingTestData.Result()));

        var badConcurrency = () => TrainingTestData.Engine(_store, _time, new TrainingEngineOptions { MaxConcurrency = 0 });
        var badHeartbeat = () => TrainingTestData.Engine(
            _store, _time, new TrainingEngineOptions { HeartbeatInterval = TimeSpan.FromMinutes(5), LeaseDuration = TimeSpan.FromMinutes(1) });
        var duplicate = () => TrainingTestData.Engine(_store, _time, null, t, t);

        badConcurrency.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxConcurrency");
        badHeartbeat.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("HeartbeatInterval");
        duplicate.Should().Throw<ArgumentException>().WithParameterName("trainers").WithMessage("*'t'*");
    }

    private async Task RunUntilAllFinishedAsync(TrainingJobEngine engine, IEnumerable<TrainingJob> jobs)
    {
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);
        foreach (var job in jobs)
        {
            await engine.WaitFor(job.Id, j => TrainingJobTransitions.IsTerminal(j.State));
        }

        await stop.CancelAsync();
        await run;
    }

    private async Task<TrainingJob> AbandonedJobAsync(DateTimeOffset leaseExpiresAt)
    {
        var job = await _store.AddAsync(new TrainingJob
        {
            Id = "abandoned",
            ModelKey = "m",
            ModelType = "t",
            State = TrainingJobState.Queued,
            CreatedAt = TrainingTestData.Start - TimeSpan.FromMinutes(10),
        });
        return (await _store.TryUpdateAsync(job.TransitionTo(TrainingJobState.Running, job.CreatedAt) with
        {
            Attempts = 1,
            LeaseOwner = "dead-engine",
            LeaseExpiresAt = leaseExpiresAt,
        }))!;
    }

    /// <summary>A trainer that signals when it starts, then waits until its job is cancelled.</summary>
    private static (ScriptedTrainer Trainer, TaskCompletionSource Started) BlockedUntilCancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var trainer = new ScriptedTrainer("t", async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return TrainingTestData.Result();
        });
        return (trainer, started);
    }
}
