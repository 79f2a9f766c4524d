using Microsoft.Extensions.Options;
using SelfLearning.Serving;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>
/// The data sources of the health checks, backed by the loop's services. With several models each source reports the
/// worst model: the fewest new cases (a model trained within its <c>DataStaleAfter</c> counts only when every model
/// was), the oldest champion; the last finished job is the newest of any model's.
/// </summary>
internal sealed class LoopHealthSources(
    ServingStates serving,
    IModelRegistry registry,
    ITrainingJobStore jobs,
    CaseSourceDataSource data,
    IOptionsMonitor<SelfLearningModelOptions> modelOptions,
    TimeProvider timeProvider)
    : INewCaseCountProvider, IChampionInfoProvider, ILastTrainingJobProvider
{
    private static readonly TrainingJobState[] Finished = [TrainingJobState.Completed, TrainingJobState.Failed];

    /// <summary>
    /// Counts the cases validated after each model's watermark (the newest version's tag) and returns the worst model's:
    /// the smallest count among the models not trained recently, or, when every model was, the smallest count.
    /// </summary>
    public async ValueTask<NewCaseCount> CountNewCasesAsync(CancellationToken cancellationToken)
    {
        NewCaseCount? worst = null;
        DateTimeOffset now = timeProvider.GetUtcNow();
        foreach (string model in serving.Names)
        {
            ModelVersion? latest = await registry.LatestVersionAsync(model, cancellationToken).ConfigureAwait(false);
            long count = await data.CountNewCasesAsync(TrainingWatermarks.Of(latest), cancellationToken).ConfigureAwait(false);
            bool recent = latest is not null && now - latest.CreatedAt < modelOptions.Get(model).DataStaleAfter;
            var candidate = new NewCaseCount(count, latest?.CreatedAt, recent);
            if (worst is not { } w2 || (w2.RecentlyTrained && !recent) || (w2.RecentlyTrained == recent && count < w2.NewCases))
            {
                worst = candidate;
            }
        }

        return worst ?? new NewCaseCount(0);
    }

    /// <summary>Gets the champion activated longest ago, with the instant of its activation from the registry's history.</summary>
    public async ValueTask<ChampionInfo?> GetChampionAsync(CancellationToken cancellationToken)
    {
        ChampionInfo? oldest = null;
        foreach (string model in serving.Names)
        {
            ModelVersion? champion = await registry.GetChampionAsync(model, cancellationToken).ConfigureAwait(false);
            if (champion is null)
            {
                continue;
            }

            DateTimeOffset activatedAt = await ActivatedAtAsync(model, champion, cancellationToken).ConfigureAwait(false);
            if (oldest is null || activatedAt < oldest.ActivatedAt)
            {
                oldest = new ChampionInfo(model, champion.Version, activatedAt);
            }
        }

        return oldest;
    }

    /// <summary>
    /// When the champion became champion: its latest activation in the registry's history, read newest first a page at a
    /// time (the activation is almost always on the first page), or its registration time when the history has none.
    /// </summary>
    private async Task<DateTimeOffset> ActivatedAtAsync(string model, ModelVersion champion, CancellationToken cancellationToken)
    {
        long? newest = null;
        while (true)
        {
            IReadOnlyList<StageTransition> page = await registry.GetHistoryPageAsync(model, newest, IModelRegistry.DefaultVersionsPageSize, cancellationToken).ConfigureAwait(false);
            if (page.FirstOrDefault(t => t.Version == champion.Version && t.To == ModelStage.Champion) is { } activation)
            {
                return activation.At;
            }

            if (page.Count == 0 || page[^1].Sequence <= 1)
            {
                return champion.CreatedAt;
            }

            newest = page[^1].Sequence - 1;
        }
    }

    /// <summary>Gets the job (of any model) that finished last, completed or failed; cancelled jobs are shutdowns, not results.</summary>
    public async ValueTask<TrainingJobInfo?> GetLastFinishedJobAsync(CancellationToken cancellationToken)
    {
        var finished = await jobs.ListAsync(null, Finished, cancellationToken).ConfigureAwait(false);
        TrainingJob? last = finished.MaxBy(j => (j.FinishedAt ?? j.UpdatedAt, j.Sequence));
        return last is null
            ? null
            : new TrainingJobInfo(last.Id, last.State == TrainingJobState.Failed, last.FinishedAt ?? last.UpdatedAt, last.FailureReason);
    }
}
