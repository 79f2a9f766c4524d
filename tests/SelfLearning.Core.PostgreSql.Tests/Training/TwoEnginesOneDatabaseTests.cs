using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SelfLearning.Training;

namespace SelfLearning.PostgreSql.Tests.Training;

/// <summary>
/// Two training engines, as two instances of a host would run them, share one PostgreSQL job store: every queued job is
/// trained exactly once, by one of them, and both take part.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class TwoEnginesOneDatabaseTests(PostgreSqlServer server)
{
    private const string ModelType = "counting";
    private const int Jobs = 30;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Engines_ShareQueuedJobs_EachJobIsTrainedExactlyOnceAndBothEnginesWork()
    {
        string database = await server.CreateDatabaseAsync();
        using (var setup = new PostgreSqlTrainingJobStore(database))
        {
            for (int i = 0; i < Jobs; i++)
            {
                await setup.AddAsync(new TrainingJob { Id = "job-" + i, ModelKey = "model-" + i, ModelType = ModelType, Seed = i, State = TrainingJobState.Queued });
            }
        }

        var runs = new ConcurrentDictionary<int, ConcurrentQueue<string>>();
        var working = new ConcurrentDictionary<string, bool>();
        var bothWorking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var trained = new CountdownEvent(Jobs);
        using var storeA = new PostgreSqlTrainingJobStore(database);
        using var storeB = new PostgreSqlTrainingJobStore(database);
        using var engineA = Engine(storeA, "instance-a", new CountingTrainer("instance-a", runs, working, bothWorking, trained));
        using var engineB = Engine(storeB, "instance-b", new CountingTrainer("instance-b", runs, working, bothWorking, trained));
        using var stop = new CancellationTokenSource();

        Task runA = engineA.RunAsync(stop.Token);
        Task runB = engineB.RunAsync(stop.Token);
        (await Task.Run(() => trained.Wait(Patience))).Should().BeTrue("all {0} jobs are trained within {1}", Jobs, Patience);
        foreach (var (seed, engines) in runs)
        {
            var owner = engines.Single() == "instance-a" ? engineA : engineB;
            (await owner.WaitForCompletionAsync("job-" + seed).WaitAsync(Patience)).State.Should().Be(TrainingJobState.Completed);
        }

        await stop.CancelAsync();
        await Task.WhenAll(runA, runB);

        runs.Keys.Should().BeEquivalentTo(Enumerable.Range(0, Jobs));
        runs.Values.Should().OnlyContain(engines => engines.Count == 1, "no job is trained by both instances, nor twice by one");
        IReadOnlyList<TrainingJob> jobs = await storeA.ListAsync();
        jobs.Should().HaveCount(Jobs).And.OnlyContain(j => j.State == TrainingJobState.Completed && j.Attempts == 1);
        runs.Values.Select(engines => engines.Single()).Distinct().Should().HaveCount(2, "both instances trained jobs");
    }

    private static TrainingJobEngine Engine(ITrainingJobStore store, string instance, ITrainer trainer) => new(
        store,
        [trainer],
        new SmallData(),
        Options.Create(new TrainingEngineOptions
        {
            InstanceId = instance,
            LeaseDuration = TimeSpan.FromSeconds(30),
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        }));

    /// <summary>Records which instance trained each job (by its seed); the first job of each waits until both instances are training.</summary>
    private sealed class CountingTrainer(
        string instance,
        ConcurrentDictionary<int, ConcurrentQueue<string>> runs,
        ConcurrentDictionary<string, bool> working,
        TaskCompletionSource bothWorking,
        CountdownEvent trained) : ITrainer
    {
        public string ModelType => TwoEnginesOneDatabaseTests.ModelType;

        public TaskKind TaskKind => TaskKind.ScoreCalibration;

        public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
        {
            runs.GetOrAdd(context.Seed, _ => new ConcurrentQueue<string>()).Enqueue(instance);
            if (working.TryAdd(instance, true) && working.Count == 2)
            {
                bothWorking.TrySetResult();
            }

            await bothWorking.Task.WaitAsync(Patience, cancellationToken);
            trained.Signal();
            return new TrainingResult(new TrainingArtifact("test+text", [1, 2, 3]), new Dictionary<string, double> { ["score"] = 1.0 }, TrainingParameters.Empty);
        }
    }

    private sealed class SmallData : ITrainingDataProvider
    {
        public ValueTask<TrainingData> GetDataAsync(TrainingJob job, CancellationToken cancellationToken) => ValueTask.FromResult(new TrainingData(
            TrainingTable.ForCalibration([0.1, 0.9, 0.4, 0.7], [false, true, false, true]),
            TrainingTable.ForCalibration([0.2, 0.8], [false, true])));
    }
}
