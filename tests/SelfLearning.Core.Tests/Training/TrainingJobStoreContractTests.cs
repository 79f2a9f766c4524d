using System.Text;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

/// <summary>
/// The behaviour every <see cref="ITrainingJobStore"/> must have. Each implementation's test class derives from this
/// one (the SQLite test project compiles this file in by link), so the stores agree write for write.
/// </summary>
public abstract class TrainingJobStoreContractTests
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How many threads race on one job's version in the concurrency test.</summary>
    protected virtual int ConcurrentWriters => 8;

    /// <summary>How many successful writes each racing thread makes.</summary>
    protected virtual int WritesPerWriter => 25;

    public static TheoryData<TrainingJobState, TrainingJobState> DistinctPairs()
    {
        var data = new TheoryData<TrainingJobState, TrainingJobState>();
        foreach (var from in Enum.GetValues<TrainingJobState>())
        {
            foreach (var to in Enum.GetValues<TrainingJobState>().Where(s => s != from))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Fact]
    public async Task Add_QueuedJobs_AssignsIncreasingSequencesAndVersionOne()
    {
        var store = CreateStore();

        var first = await store.AddAsync(NewJob("a"));
        var second = await store.AddAsync(NewJob("b"));

        first.Version.Should().Be(1);
        second.Version.Should().Be(1);
        second.Sequence.Should().BeGreaterThan(first.Sequence);
        (await store.FindAsync("a")).Should().Be(first);
        (await store.GetTransitionsAsync("a")).Should().BeEmpty();
    }

    [Fact]
    public async Task Add_JobNotQueuedOrDuplicateId_ThrowsNamingTheJob()
    {
        var store = CreateStore();
        await store.AddAsync(NewJob("a"));

        var running = async () => await store.AddAsync(NewJob("b") with { State = TrainingJobState.Running });
        var duplicate = async () => await store.AddAsync(NewJob("a"));

        (await running.Should().ThrowAsync<ArgumentException>().WithParameterName("job")).WithMessage("*must be Queued*'b' is Running*");
        (await duplicate.Should().ThrowAsync<ArgumentException>().WithParameterName("job")).WithMessage("*'a' already exists*");
        (await store.ListAsync()).Select(j => j.Id).Should().Equal("a");
    }

    [Fact]
    public async Task Find_UnknownJob_ReturnsNullAndNoHistory()
    {
        var store = CreateStore();

        (await store.FindAsync("nope")).Should().BeNull();
        (await store.GetTransitionsAsync("nope")).Should().BeEmpty();
    }

    [Fact]
    public async Task TryUpdate_EveryField_RoundTripsExactly()
    {
        var store = CreateStore();
        var added = await store.AddAsync(NewJob("a") with
        {
            Priority = -3,
            Trigger = TrainingTriggerKind.Schedule,
            Parameters = TrainingParameters.Empty.With("alpha", 0.1).With("method", "isotonic"),
            Seed = 42,
            TuneHyperparameters = true,
        });
        var at = Start + TimeSpan.FromMinutes(5);
        var running = added.TransitionTo(TrainingJobState.Running, at) with
        {
            Attempts = 2,
            StartedAt = at,
            NotBefore = at - TimeSpan.FromTicks(1),
            FailureReason = "first attempt: timeout",
            Progress = new TrainingProgress(37.5, "fitting", new Dictionary<string, double> { ["loss"] = 0.1 + 0.2 }),
            LeaseOwner = "host-1:42:abc",
            LeaseExpiresAt = at + TimeSpan.FromMinutes(2),
        };
        var artifact = new TrainingArtifact("test+bytes", Encoding.UTF8.GetBytes("weights \u00e9"));
        var completed = (await store.TryUpdateAsync(running))!.TransitionTo(TrainingJobState.Completed, at + TimeSpan.FromSeconds(1)) with
        {
            Metrics = TrainingMetrics.Freeze(new Dictionary<string, double> { ["ece"] = 1.0 / 3.0, ["log_loss"] = double.Epsilon }),
            ParametersUsed = TrainingParameters.Empty.With("alpha", 1e-300),
            ResourceUsage = new TrainingResourceUsage(TimeSpan.FromTicks(12_345), TimeSpan.FromTicks(678), 9_000_000_000),
            Artifact = artifact,
            LeaseOwner = null,
            LeaseExpiresAt = null,
        };

        var stored = (await store.TryUpdateAsync(completed))!;
        var read = (await store.FindAsync("a"))!;

        foreach (var job in new[] { stored, read })
        {
            job.Version.Should().Be(3);
            (job with { Artifact = null, Metrics = TrainingMetrics.Empty, Progress = null })
                .Should().Be(completed with { Version = 3, Artifact = null, Metrics = TrainingMetrics.Empty, Progress = null });
            job.Metrics.Should().Equal(completed.Metrics);
            job.Progress!.Percent.Should().Be(37.5);
            job.Progress.Stage.Should().Be("fitting");
            job.Progress.Metrics.Should().Equal(new Dictionary<string, double> { ["loss"] = 0.1 + 0.2 });
            job.Artifact!.Format.Should().Be("test+bytes");
            job.Artifact.Content.ToArray().Should().Equal(artifact.Content.ToArray());
        }
    }

    [Fact]
    public async Task TryUpdate_StaleVersion_ReturnsNullAndWritesNothing()
    {
        var store = CreateStore();
        var added = await store.AddAsync(NewJob("a"));
        var first = (await store.TryUpdateAsync(added with { Priority = 1, UpdatedAt = Start + TimeSpan.FromSeconds(1) }))!;

        var stale = await store.TryUpdateAsync(added.TransitionTo(TrainingJobState.Running, Start + TimeSpan.FromSeconds(2)), "late writer");

        stale.Should().BeNull();
        (await store.FindAsync("a")).Should().Be(first);
        first.Version.Should().Be(2);
        (await store.GetTransitionsAsync("a")).Should().BeEmpty();
    }

    [Fact]
    public async Task TryUpdate_UnknownJob_ThrowsKeyNotFound()
    {
        var store = CreateStore();

        var act = async () => await store.TryUpdateAsync(NewJob("ghost"));

        await act.Should().ThrowAsync<KeyNotFoundException>().WithMessage("*'ghost'*");
    }

    [Theory]
    [InlineData("model")]
    [InlineData("type")]
    [InlineData("sequence")]
    public async Task TryUpdate_ChangedIdentity_ThrowsNamingTheJob(string change)
    {
        var store = CreateStore();
        var added = await store.AddAsync(NewJob("a"));
        var changed = change switch
        {
            "model" => added with { ModelKey = "other" },
            "type" => added with { ModelType = "other" },
            _ => added with { Sequence = added.Sequence + 100 },
        };

        var act = async () => await store.TryUpdateAsync(changed);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("job");
        (await store.FindAsync("a")).Should().Be(added);
    }

    // A write that keeps the state (a heartbeat) is not a transition, so the store's check covers distinct pairs.
    [Theory]
    [MemberData(nameof(DistinctPairs))]
    public async Task TryUpdate_EveryPairOfDistinctStates_PersistsOnlyAllowedMoves(TrainingJobState from, TrainingJobState to)
    {
        var store = CreateStore();
        var job = await store.AddAsync(NewJob("j"));
        job = await ForceStateAsync(store, job, from);

        var act = async () => await store.TryUpdateAsync(job with { State = to }, "test");

        if (TrainingJobTransitions.IsAllowed(from, to))
        {
            (await act())!.State.Should().Be(to);
            (await store.GetTransitionsAsync("j"))[^1].Should().Be(new TrainingJobTransition("j", from, to, job.UpdatedAt, "test"));
        }
        else
        {
            await act.Should().ThrowAsync<InvalidOperationException>().WithMessage($"Training job 'j' cannot move from {from} to {to}*");
            (await store.FindAsync("j")).Should().Be(job);
        }
    }

    [Fact]
    public async Task TryUpdate_StateChanges_AreRecordedInOrderAndSameStateWritesAreNot()
    {
        var store = CreateStore();
        var job = await store.AddAsync(NewJob("a"));
        var t1 = Start + TimeSpan.FromSeconds(1);
        var t2 = Start + TimeSpan.FromSeconds(2);
        var t3 = Start + TimeSpan.FromSeconds(3);

        job = (await store.TryUpdateAsync(job.TransitionTo(TrainingJobState.Running, t1)))!;
        job = (await store.TryUpdateAsync(job with { UpdatedAt = t2, LeaseExpiresAt = t2 + TimeSpan.FromMinutes(2) }, "heartbeat"))!;
        job = (await store.TryUpdateAsync(job.TransitionTo(TrainingJobState.Queued, t3), "transient failure"))!;
        await store.AddAsync(NewJob("b"));

        (await store.GetTransitionsAsync("a")).Should().Equal(
            new TrainingJobTransition("a", TrainingJobState.Queued, TrainingJobState.Running, t1, null),
            new TrainingJobTransition("a", TrainingJobState.Running, TrainingJobState.Queued, t3, "transient failure"));
        job.Version.Should().Be(4);
    }

    [Fact]
    public async Task List_ByModelAndStates_ReturnsMatchesInArrivalOrder()
    {
        var store = CreateStore();
        var a1 = await store.AddAsync(NewJob("a1", "model-a"));
        var b1 = await store.AddAsync(NewJob("b1", "model-b"));
        var a2 = await store.AddAsync(NewJob("a2", "model-a"));
        a1 = (await store.TryUpdateAsync(a1.TransitionTo(TrainingJobState.Running, Start)))!;
        var b1Cancelled = (await store.TryUpdateAsync(b1.TransitionTo(TrainingJobState.Cancelled, Start)))!;

        (await store.ListAsync()).Should().Equal(a1, b1Cancelled, a2);
        (await store.ListAsync("model-a")).Should().Equal(a1, a2);
        (await store.ListAsync(null, [TrainingJobState.Queued, TrainingJobState.Cancelled])).Should().Equal(b1Cancelled, a2);
        (await store.ListAsync("model-a", [TrainingJobState.Running])).Should().Equal(a1);
        (await store.ListAsync("model-c")).Should().BeEmpty();
        (await store.ListAsync(null, [])).Should().HaveCount(3);
    }

    [Fact]
    public async Task TryUpdate_ManyThreadsRacingOnOneJob_EveryWriteWinsExactlyOnceAndNoneIsLost()
    {
        var store = CreateStore();
        await store.AddAsync(NewJob("a"));
        using var go = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, ConcurrentWriters).Select(w => Task.Run(async () =>
        {
            go.Wait();
            int wins = 0, conflicts = 0;
            while (wins < WritesPerWriter)
            {
                var current = (await store.FindAsync("a"))!;
                var next = current with { Attempts = current.Attempts + 1, UpdatedAt = Start + TimeSpan.FromTicks(current.Version) };
                if (await store.TryUpdateAsync(next) is not null)
                {
                    wins++;
                }
                else
                {
                    conflicts++;
                }
            }

            return conflicts;
        })).ToArray();

        go.Set();
        await Task.WhenAll(writers);

        var final = (await store.FindAsync("a"))!;
        int writes = ConcurrentWriters * WritesPerWriter;
        final.Attempts.Should().Be(writes, "each successful write added one to what it read, so a lost update would show here");
        final.Version.Should().Be(1 + writes);

        // Contention for certain: every writer read the same revision before any of them writes; exactly one may win.
        var stale = (await store.FindAsync("a"))!;
        TrainingJob?[] results = await Task.WhenAll(Enumerable.Range(0, ConcurrentWriters).Select(w => Task.Run(async () =>
            await store.TryUpdateAsync(stale with { Attempts = stale.Attempts + 1 + w }))));
        results.Count(r => r is not null).Should().Be(1, "all {0} writers wrote over the same revision; the store must refuse all but one", ConcurrentWriters);
        (await store.FindAsync("a"))!.Version.Should().Be(stale.Version + 1);
    }

    protected abstract ITrainingJobStore CreateStore();

    protected static TrainingJob NewJob(string id, string model = "m") => new()
    {
        Id = id,
        ModelKey = model,
        ModelType = "t",
        State = TrainingJobState.Queued,
        CreatedAt = Start,
        UpdatedAt = Start,
    };

    private static async Task<TrainingJob> ForceStateAsync(ITrainingJobStore store, TrainingJob job, TrainingJobState state)
    {
        // Reach each state through allowed moves only.
        TrainingJobState[] path = state switch
        {
            TrainingJobState.Queued => [],
            TrainingJobState.Running => [TrainingJobState.Running],
            TrainingJobState.Paused => [TrainingJobState.Running, TrainingJobState.Paused],
            TrainingJobState.Completed => [TrainingJobState.Running, TrainingJobState.Completed],
            TrainingJobState.Failed => [TrainingJobState.Running, TrainingJobState.Failed],
            _ => [TrainingJobState.Cancelled],
        };
        foreach (var step in path)
        {
            job = (await store.TryUpdateAsync(job.TransitionTo(step, Start)))!;
        }

        return job;
    }
}
