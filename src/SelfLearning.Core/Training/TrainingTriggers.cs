using SelfLearning.Hosting;
using SelfLearning.Registry;

namespace SelfLearning.Training;

/// <summary>
/// Whether a cycle trains, and why: every trigger rule of a self-learning model in one place. Every trigger needs
/// <see cref="SelfLearningModelOptions.MinimumCases"/> new cases and waits out
/// <see cref="SelfLearningModelOptions.MinimumInterval"/> after the last training; then the first model trains,
/// later ones on <see cref="SelfLearningModelOptions.NewCasesThreshold"/> new cases or when the
/// <see cref="SelfLearningModelOptions.Schedule"/> is due, or when the champion drifted.
/// </summary>
internal sealed class TrainingTriggers(ITrainingJobStore jobs, TimeProvider timeProvider)
{
    private static readonly TrainingJobState[] CompletedOnly = [TrainingJobState.Completed];

    /// <summary>Decides whether <paramref name="modelName"/> trains now; the last training is the last completed job, else the newest version.</summary>
    /// <param name="modelName">The model.</param>
    /// <param name="options">Its options.</param>
    /// <param name="latest">Its newest registered version, if any.</param>
    /// <param name="newCases">The cases validated since the newest version's training watermark.</param>
    /// <param name="drifted">Whether the champion drifted and drift may retrain it now.</param>
    /// <param name="cancellationToken">Cancels the read of the job store.</param>
    /// <returns>The trigger, or <see langword="null"/> with the reason nothing fires.</returns>
    public async Task<(TrainingTriggerKind? Trigger, string Reason)> DecideAsync(
        string modelName, SelfLearningModelOptions options, ModelVersion? latest, long newCases, bool drifted, CancellationToken cancellationToken)
    {
        var completed = await jobs.ListAsync(modelName, CompletedOnly, cancellationToken).ConfigureAwait(false);
        DateTimeOffset? lastTraining = completed.Count > 0 ? completed.Max(j => j.StartedAt) : latest?.CreatedAt;
        return Decide(options, latest is not null, newCases, lastTraining, timeProvider.GetUtcNow(), drifted);
    }

    /// <summary>The trigger rule.</summary>
    /// <param name="options">The model's options.</param>
    /// <param name="hasVersion">Whether the model has a registered version (otherwise this is its first training).</param>
    /// <param name="newCases">The cases validated since the last training's watermark.</param>
    /// <param name="lastTraining">When the last completed training started, or <see langword="null"/> when unknown.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="drifted">Whether the champion drifted and the model retrains on drift.</param>
    /// <returns>The trigger, or <see langword="null"/> with the reason nothing fires.</returns>
    public static (TrainingTriggerKind? Trigger, string Reason) Decide(
        SelfLearningModelOptions options, bool hasVersion, long newCases, DateTimeOffset? lastTraining, DateTimeOffset now, bool drifted = false)
    {
        int threshold = hasVersion ? options.NewCasesThreshold : options.MinimumCases;
        if (newCases < options.MinimumCases)
        {
            return (null, Format($"{newCases} new cases of the {threshold} that trigger training."));
        }

        if (lastTraining is { } last && now < last + options.MinimumInterval)
        {
            return (null, Format($"The last training started at {last:O}; the minimum interval of {options.MinimumInterval} has not passed."));
        }

        if (!hasVersion || newCases >= options.NewCasesThreshold)
        {
            return (TrainingTriggerKind.NewCases, Format($"{newCases} new cases reached the threshold of {threshold}."));
        }

        if (options.Schedule is { } schedule && lastTraining is { } previous && schedule.NextAfter(previous) <= now)
        {
            return (TrainingTriggerKind.Schedule, Format($"The schedule ({schedule}) was due at {schedule.NextAfter(previous):O}."));
        }

        if (drifted)
        {
            return (TrainingTriggerKind.Drift, Format($"The champion drifted from its training reference; retraining on {newCases} new cases."));
        }

        return (null, Format($"{newCases} new cases of the {threshold} that trigger training."));
    }

    private static string Format(FormattableString text) => Monitoring.LoopEvents.Format(text);
}
