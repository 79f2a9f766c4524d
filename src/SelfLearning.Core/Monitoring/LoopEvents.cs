using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Registry;

namespace SelfLearning.Monitoring;

/// <summary>
/// What every stage of the loop writes besides its own state: one call per loop event fans out to the subscribers (the
/// event, stamped with the injected clock), the log (event 5010, its level by kind) and the meter (a promotion, a
/// champion's rollback); and the audit entry of a registry change, written as the loop's actor.
/// </summary>
internal sealed class LoopEvents(
    ISelfLearningEventPublisher events,
    SelfLearningTelemetry telemetry,
    IOptions<SelfLearningOptions> options,
    TimeProvider timeProvider,
    ILogger<LoopEvents> logger)
{
    /// <summary>Gets the actor the loop writes to the registry's audit history and as a version's creator.</summary>
    public string Actor { get; } = Guard.NotNull(options).Value.Actor;

    /// <summary>Gets the clock the loop reads.</summary>
    public TimeProvider Time { get; } = Guard.NotNull(timeProvider);

    /// <summary>
    /// Publishes an event about <paramref name="modelName"/> (and <paramref name="version"/>) now, logs it and counts it:
    /// a <see cref="SelfLearningEventKind.Promoted"/> event in <c>selflearning.promotions</c>, a
    /// <see cref="SelfLearningEventKind.RolledBack"/> event with a <paramref name="rollback"/> reason (a champion rolled
    /// back, not a canary that lost) in <c>selflearning.rollbacks</c>.
    /// </summary>
    public void Publish(
        SelfLearningEventKind kind,
        string modelName,
        int? version,
        string message,
        IReadOnlyDictionary<string, object?>? properties = null,
        RollbackReasonKind? rollback = null)
    {
        events.Publish(new SelfLearningEvent(kind, Time.GetUtcNow(), modelName, version, message, properties));
        LogLevel level = LevelOf(kind);
        if (logger.IsEnabled(level))
        {
            MonitoringLog.LoopEvent(logger, level, kind, modelName, version, message);
        }
        switch (kind)
        {
            case SelfLearningEventKind.Promoted when version is int promoted:
                telemetry.RecordPromotion(modelName, promoted);
                break;
            case SelfLearningEventKind.RolledBack when version is int rolledBack && rollback is RollbackReasonKind reason:
                telemetry.RecordRollback(modelName, rolledBack, reason);
                break;
        }
    }

    /// <summary>The registry change the loop writes, its reason cut to the registry's text limit.</summary>
    public RegistryChange Change(string reason) =>
        new(Actor, reason.Length <= RegistryNames.MaxTextLength ? reason : reason[..(RegistryNames.MaxTextLength - 1)] + "…");

    /// <summary>Formats with the invariant culture, as every message of the loop is.</summary>
    public static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static LogLevel LevelOf(SelfLearningEventKind kind) => kind switch
    {
        SelfLearningEventKind.JobFailed or SelfLearningEventKind.RolledBack or SelfLearningEventKind.DriftDetected or SelfLearningEventKind.DataStale => LogLevel.Warning,
        _ => LogLevel.Information,
    };
}
