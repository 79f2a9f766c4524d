using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.AspNetCore.Endpoints;
using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.AspNetCore.Adapters;

/// <summary>
/// Every call the endpoints make into the core's training jobs. When the host runs a <see cref="TrainingJobEngine"/> the
/// actions go through it (it owns running jobs); otherwise jobs are the loop's own, read from <see cref="ITrainingJobStore"/>,
/// and "start a training now" runs a cycle of the loop.
/// </summary>
internal sealed class JobsAdapter(
    ITrainingJobStore store,
    ISelfLearningLoop loop,
    IOptions<SelfLearningOptions> options,
    IOptionsMonitor<SelfLearningModelOptions> modelOptions,
    TimeProvider time,
    IServiceProvider services)
{
    private TrainingJobEngine? Engine => services.GetService<TrainingJobEngine>();

    public async Task<PageDto<JobDto>> ListAsync(string? model, IReadOnlyCollection<TrainingJobState>? states, int skip, int take, CancellationToken cancellationToken)
    {
        var jobs = await store.ListAsync(model, states, cancellationToken).ConfigureAwait(false);
        var ordered = jobs.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Sequence).ToList();
        return new PageDto<JobDto>([.. ordered.Skip(skip).Take(take).Select(ToDto)], ordered.Count, skip, take);
    }

    public async Task<JobDto> GetAsync(string id, CancellationToken cancellationToken)
    {
        TrainingJob job = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return ToDto(job);
    }

    public async Task<ProgressDto?> ProgressAsync(string id, CancellationToken cancellationToken)
    {
        TrainingJob job = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return job.Progress is { } p ? new ProgressDto(p.Percent, p.Stage, p.Metrics) : null;
    }

    public async Task<StartTrainingResultDto> StartAsync(string model, CancellationToken cancellationToken)
    {
        if (!options.Value.Models.Contains(model))
        {
            throw new KeyNotFoundException($"No self-learning model is named '{model}'.");
        }

        if (Engine is { } engine)
        {
            var request = new TrainingRequest(model, modelOptions.Get(model).TrainerType) { Trigger = TrainingTriggerKind.Manual, WhenBusy = BusyModelBehavior.Skip };
            TrainingEnqueueResult queued = await engine.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
            return queued.IsQueued
                ? new StartTrainingResultDto(model, "Queued", $"Training job '{queued.Job.Id}' is queued.", null, ToDto(queued.Job))
                : throw new InvalidOperationException(queued.SkipReason ?? $"Model '{model}' already has an active training job.");
        }

        DateTimeOffset before = time.GetUtcNow();
        SelfLearningCycleResult cycle = await loop.RunCycleAsync(model, cancellationToken).ConfigureAwait(false);
        var started = await store.ListAsync(model, null, cancellationToken).ConfigureAwait(false);
        TrainingJob? job = started.Where(j => j.CreatedAt >= before).MaxBy(j => j.Sequence);
        return new StartTrainingResultDto(model, cycle.Outcome.ToString(), cycle.Message, cycle.Version, job is null ? null : ToDto(job));
    }

    public async Task<JobDto> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (Engine is { } engine)
        {
            return ToDto(await engine.CancelAsync(id, cancellationToken).ConfigureAwait(false));
        }

        TrainingJob job = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (job.State is TrainingJobState.Running or TrainingJobState.Paused)
        {
            throw new InvalidOperationException(
                $"Training job '{id}' runs inside the loop's cycle and ends with it; only a queued job can be cancelled without a TrainingJobEngine.");
        }

        TrainingJob cancelled = job.TransitionTo(TrainingJobState.Cancelled, time.GetUtcNow());
        TrainingJob? written = await store.TryUpdateAsync(cancelled, "Cancelled by an operator.", cancellationToken).ConfigureAwait(false);
        return written is null
            ? throw new ConcurrencyConflictException($"Training job '{id}' changed while it was being cancelled; read it again and retry.")
            : ToDto(written);
    }

    public async Task<JobDto> PauseOrResumeAsync(string id, bool pause, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken).ConfigureAwait(false);
        TrainingJobEngine engine = Engine ?? throw new InvalidOperationException(
            $"Training job '{id}' cannot be {(pause ? "paused" : "resumed")}: the host runs no TrainingJobEngine, and the loop's own trainings run to the end.");
        TrainingJob job = pause
            ? await engine.PauseAsync(id, cancellationToken).ConfigureAwait(false)
            : await engine.ResumeAsync(id, cancellationToken).ConfigureAwait(false);
        return ToDto(job);
    }

    internal static JobDto ToDto(TrainingJob job) => new(
        job.Id,
        job.ModelKey,
        job.ModelType,
        job.State.ToString(),
        job.Trigger.ToString(),
        job.Priority,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        job.Attempts,
        job.FailureReason,
        job.Progress is { } p ? new ProgressDto(p.Percent, p.Stage, p.Metrics) : null,
        job.Metrics);

    private async Task<TrainingJob> FindAsync(string id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new KeyNotFoundException($"No training job has id '{id}'.");
}
