using Microsoft.Extensions.Logging;

namespace SelfLearning.Monitoring;

/// <summary>The monitoring area's source-generated log messages; event ids 5000–5999, stable once shipped.</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "A subscriber to self-learning events threw while handling a {Kind} event; other subscribers still ran.")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, SelfLearningEventKind kind);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Drift in '{Monitor}': PSI {Psi:F4}, KS D {KsStatistic:F4} (p = {KsPValue:G4}), severity {Severity}, {LiveCount} live values.")]
    public static partial void DriftDetected(ILogger logger, string monitor, double psi, double ksStatistic, double ksPValue, DriftSeverity severity, int liveCount);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Rollback advised: {Reasons}")]
    public static partial void RollbackAdvised(ILogger logger, string reasons);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "The error stream of '{Monitor}' changed ({Detector}); the mean error rate is now {Mean:F4}.")]
    public static partial void ErrorStreamChanged(ILogger logger, string monitor, string detector, double mean);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Health check '{Check}' could not read its data source.")]
    public static partial void HealthSourceFailed(ILogger logger, Exception exception, string check);

    [LoggerMessage(EventId = 5010, Message = "Self-learning event {Kind} for model '{Model}' (version {Version}): {Text}")]
    public static partial void LoopEvent(ILogger logger, LogLevel level, SelfLearningEventKind kind, string model, int? version, string text);
}
