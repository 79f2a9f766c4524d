using Microsoft.Extensions.Options;
using SelfLearning.AspNetCore.Endpoints;
using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.AspNetCore.Adapters;

/// <summary>
/// Every call the endpoints make into the core's training jobs, through the loop's <see cref="TrainingJobEngine"/> (it owns
/// running jobs: cancel, pause and resume act on it); jobs are read from <see cref="ITrainingJobStore"/>. "Start a training
/// now" queues a manual job and runs a cycle of the loop, which awaits the job and rolls its candidate out.
/// </summary>
internal sealed class JobsAdapter(
    ITrainingJobStore store,
    ISelfLearningLoop loop,
    TrainingJobEngine engine,
    IOptions<SelfLearningOptions> options,
    IOptionsMonitor<SelfLearningModelOptions> modelOptions)
{
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

        var request = new TrainingRequest(model, modelOptions.Get(model).TrainerType) { Trigger = TrainingTriggerKind.Manual, WhenBusy = BusyModelBehavior.Skip };
        TrainingEnqueueResult queued = await engine.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        if (!queued.IsQueued)
        {
            throw new InvalidOperationException(queued.SkipReason ?? $"Model '{model}' already has an active training job.");
        }

        // The cycle awaits the operator's job and gates, registers and rolls out its candidate (unless the champion watch or
        // a canary decision comes first; then the next cycle does).
        SelfLearningCycleResult cycle = await loop.RunCycleAsync(model, cancellationToken).ConfigureAwait(false);
        TrainingJob job = await FindAsync(queued.Job.Id, cancellationToken).ConfigureAwait(false);
        return new StartTrainingResultDto(model, cycle.Outcome.ToString(), cycle.Message, cycle.Version, ToDto(job));
    }

    public async Task<JobDto> CancelAsync(string id, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return ToDto(await engine.CancelAsync(id, cancellationToken).ConfigureAwait(false));
    }

    public async Task<JobDto> PauseOrResumeAsync(string id, bool pause, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken).ConfigureAwait(false);
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
