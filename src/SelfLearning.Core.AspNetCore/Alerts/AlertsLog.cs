using Microsoft.Extensions.Logging;

namespace SelfLearning.AspNetCore.Alerts;

/// <summary>The alerts' log messages, with stable event ids.</summary>
internal static partial class AlertsLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "SelfLearning alert {Kind} for {Model} {Subject}: {Message}")]
    public static partial void Alert(ILogger logger, AlertKind kind, string? model, string? subject, string message);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Error, Message = "Alert sink {Sink} could not deliver alert {AlertId}; it is kept and retried.")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string sink, Guid alertId);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Error, Message = "The alert dispatcher's check failed; it continues.")]
    public static partial void CheckFailed(ILogger logger, Exception exception);
}
