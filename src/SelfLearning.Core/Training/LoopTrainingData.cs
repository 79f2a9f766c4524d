using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Registry;

namespace SelfLearning.Training;

/// <summary>
/// The data of the loop's training jobs: when the engine starts a job of a self-learning model, the model's cases
/// validated after its training watermark (the newest version's) are collected and frozen; the frozen dataset, with the
/// held-out cases the gate judges on, is kept for the loop until it takes it back. A job recovered after a restart
/// collects again, from the watermark the registry holds then.
/// </summary>
internal sealed class LoopTrainingData(
    IModelRegistry registry, CaseSourceDataSource data, ModelTypes types, IOptions<SelfLearningOptions> options) : ITrainingDataProvider
{
    private readonly ConcurrentDictionary<string, CycleDataset> _frozen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CaseCollectionResult> _supplied = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<TrainingData> GetDataAsync(TrainingJob job, CancellationToken cancellationToken)
    {
        Guard.NotNull(job);
        if (!options.Value.Models.Contains(job.ModelKey, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"Training job '{job.Id}' is for model '{job.ModelKey}', which is not a self-learning model: the loop's training engine trains the models added with AddModel ({string.Join(", ", options.Value.Models)}).");
        }

        ModelVersion? latest = await registry.LatestVersionAsync(job.ModelKey, cancellationToken).ConfigureAwait(false);
        CaseCollectionResult collected = _supplied.TryRemove(job.ModelKey, out var supplied)
            ? supplied
            : await data.CollectAsync(TrainingWatermarks.Of(latest), cancellationToken).ConfigureAwait(false);
        if (collected.Snapshot is not { } snapshot)
        {
            throw new InvalidOperationException(
                $"Training job '{job.Id}' found no usable new case of model '{job.ModelKey}' ({collected.Statistics.Read} read, {collected.Statistics.Rejected} rejected).");
        }

        CycleDataset frozen = data.Freeze(job.ModelKey, types.Get(job.ModelType).TaskKind, snapshot, collected.Watermark);
        _frozen.TryRemove(job.Id, out _);
        _frozen[job.Id] = frozen;
        return frozen.Data;
    }

    /// <summary>
    /// Finds a job of <paramref name="modelName"/> whose cases this process froze but no cycle took back: a job an operator
    /// started (REST, or <see cref="TrainingJobEngine.EnqueueAsync"/>) that completed before a cycle came to await it.
    /// </summary>
    public string? FindUnclaimed(string modelName) =>
        _frozen.FirstOrDefault(pair => string.Equals(pair.Value.ModelName, modelName, StringComparison.Ordinal)).Key;

    /// <summary>Makes the next job of <paramref name="modelName"/> train on an already collected snapshot (the cycle benchmark measures the cycle after collection).</summary>
    internal void Supply(string modelName, CaseCollectionResult collected) => _supplied[modelName] = Guard.NotNull(collected);

    /// <summary>Takes back the dataset frozen for <paramref name="jobId"/> in this process, if there is one.</summary>
    public bool TryTake(string jobId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CycleDataset? dataset) =>
        _frozen.TryRemove(jobId, out dataset);
}
