using Microsoft.Extensions.Logging;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;

namespace SelfLearning.Training;

/// <summary>
/// The training stage of the loop: submits a training request to the <see cref="TrainingJobEngine"/> (which collects and
/// freezes the cases through <see cref="LoopTrainingData"/>, trains with the model type's trainer, retries transient
/// failures with back-off, keeps the lease and the progress, and records the job), awaits the job, and packages the
/// trained model as a candidate: a classifier with its calibrator chosen on the validation split, a regression with its
/// conformal interval, a clustering with its cluster shares.
/// </summary>
internal sealed class CandidateBuilder(
    TrainingJobEngine engine,
    TrainingEngineRunner runner,
    LoopTrainingData data,
    ModelTypes types,
    LoopEvents events,
    SelfLearningTelemetry telemetry,
    ILogger<CandidateBuilder> logger)
{
    private static readonly TrainingJobState[] ActiveStates = [TrainingJobState.Queued, TrainingJobState.Running, TrainingJobState.Paused];

    /// <summary>Starts the loop's training engine, so jobs an operator queues run even before the first cycle trains.</summary>
    public void Start() => runner.EnsureStarted();

    /// <summary>
    /// Finds a training job of <paramref name="modelName"/> the loop did not start itself — queued, running or paused in the
    /// engine, or completed in this process without a cycle taking its candidate — which the next cycle rolls out.
    /// </summary>
    public async Task<TrainingJob?> FindOperatorJobAsync(string modelName, CancellationToken cancellationToken)
    {
        if (data.FindUnclaimed(modelName) is { } completed)
        {
            return await engine.FindAsync(completed, cancellationToken).ConfigureAwait(false);
        }

        var active = await engine.ListAsync(modelName, cancellationToken).ConfigureAwait(false);
        return active.FirstOrDefault(j => ActiveStates.Contains(j.State));
    }

    /// <summary>Trains a candidate of <paramref name="modelName"/> in a job triggered by <paramref name="trigger"/>.</summary>
    /// <returns>The candidate, or why there is none (the job failed, or was cancelled by an operator).</returns>
    /// <exception cref="OperationCanceledException">The host stopped: the job is cancelled and nothing is registered.</exception>
    public async Task<(Candidate? Candidate, string? Failure)> BuildAsync(
        string modelName, SelfLearningModelOptions options, TrainingTriggerKind trigger, CancellationToken cancellationToken)
    {
        ModelType type = types.Get(options.TrainerType);
        runner.EnsureStarted();
        var request = new TrainingRequest(modelName, type.Key)
        {
            Trigger = trigger,
            Parameters = options.Parameters,
            Seed = options.Seed,
            WhenBusy = BusyModelBehavior.Skip,
        };

        // A model already training (an operator's job, or one recovered after a restart) is awaited instead of trained twice.
        TrainingJob job = await FindOperatorJobAsync(modelName, cancellationToken).ConfigureAwait(false)
            ?? (await engine.EnqueueAsync(request, cancellationToken).ConfigureAwait(false)).Job;
        TrainingJob done;
        try
        {
            done = await engine.WaitForCompletionAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync(job).ConfigureAwait(false);
            throw;
        }

        bool frozen = data.TryTake(done.Id, out CycleDataset? dataset);
        telemetry.RecordTrainingJob(modelName, Status(done.State), done.ResourceUsage?.WallTime ?? TimeSpan.Zero);
        string? failure = done.State switch
        {
            TrainingJobState.Completed when done.Artifact is null => $"Training job '{done.Id}' completed without an artifact.",
            TrainingJobState.Completed when !frozen => $"Training job '{done.Id}' completed, but its cases were frozen by another process; the next cycle trains again.",
            TrainingJobState.Completed => null,
            TrainingJobState.Cancelled => $"Training job '{done.Id}' was cancelled; nothing was registered.",
            _ => $"Training job '{done.Id}' (trainer '{type.Key}') failed: {done.FailureReason}",
        };
        if (failure is null)
        {
            try
            {
                var (package, served) = CandidatePackaging.Package(type, done.Artifact!, dataset!.Data, options.Gate, options.Seed);
                return (new Candidate(type, done, dataset, package, served), null);
            }
#pragma warning disable CA1031 // A candidate that cannot be packaged is reported like a failed training; the champion keeps serving.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                HostingLog.TrainingFailed(logger, e, modelName, type.Key);
                failure = $"Training job '{done.Id}' (trainer '{type.Key}') produced a model the loop could not package: {e.Message}";
            }
        }

        if (done.State != TrainingJobState.Cancelled)
        {
            events.Publish(SelfLearningEventKind.JobFailed, modelName, null, failure);
        }

        return (null, failure);
    }

    /// <summary>Cancels the job of a stopping host and waits until the engine recorded it, so no Running job outlives the host.</summary>
    private async Task StopAsync(TrainingJob job)
    {
        HostingLog.TrainingCancelled(logger, job.ModelKey);
        try
        {
            await engine.CancelAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
            await engine.WaitForCompletionAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // It finished (or runs in another engine) before the request: there is nothing left to stop here.
        }

        data.TryTake(job.Id, out _);
    }

    private static string Status(TrainingJobState state) => state switch
    {
        TrainingJobState.Completed => "succeeded",
        TrainingJobState.Cancelled => "cancelled",
        _ => "failed",
    };
}
