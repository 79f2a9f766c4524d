using Microsoft.Extensions.Logging;

namespace SelfLearning.AspNetCore.Alerts;

/// <summary>The built-in sink that writes every alert to the log as a warning (event id 1601).</summary>
internal sealed class LogAlertSink(ILogger<LogAlertSink> logger) : IAlertSink
{
    public ValueTask SendAsync(SelfLearningAlert alert, CancellationToken cancellationToken)
    {
        AlertsLog.Alert(logger, alert.Kind, alert.Model, alert.Subject, alert.Message);
        return ValueTask.CompletedTask;
    }
}
