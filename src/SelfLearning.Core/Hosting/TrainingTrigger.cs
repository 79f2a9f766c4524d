using System.Globalization;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>
/// Whether a cycle trains, and why: the trigger rules of <see cref="TrainingPlan"/> applied to one model's options.
/// Every trigger needs <see cref="SelfLearningModelOptions.MinimumCases"/> new cases and waits out
/// <see cref="SelfLearningModelOptions.MinimumInterval"/> after the last training; then the first model trains,
/// later ones on <see cref="SelfLearningModelOptions.NewCasesThreshold"/> new cases or when the
/// <see cref="SelfLearningModelOptions.Schedule"/> is due, or when the champion drifted.
/// </summary>
internal static class TrainingTrigger
{
    /// <summary>Decides the trigger.</summary>
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

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
