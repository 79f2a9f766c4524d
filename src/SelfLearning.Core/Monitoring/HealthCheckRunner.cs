using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace SelfLearning.Monitoring;

/// <summary>What the monitoring health checks share: the failure status and reading a data source safely.</summary>
internal static class HealthCheckRunner
{
    /// <summary>The status a failing check reports: the registration's, or Unhealthy when run outside a registration.</summary>
    public static HealthStatus FailureStatus(HealthCheckContext? context) =>
        context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;

    /// <summary>
    /// Reads the check's data source and judges it; a source that throws (other than by cancellation) makes
    /// the check report the failure status with the exception, logged.
    /// </summary>
    public static async Task<HealthCheckResult> RunAsync<T>(
        string check,
        HealthCheckContext? context,
        Func<CancellationToken, ValueTask<T>> read,
        Func<T, HealthCheckResult> judge,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        T value;
        try
        {
            value = await read(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            MonitoringLog.HealthSourceFailed(logger, exception, check);
            return new HealthCheckResult(FailureStatus(context), $"{check}: the data source failed: {exception.Message}", exception);
        }

        return judge(value);
    }
}
