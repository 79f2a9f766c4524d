using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// Whether anything drifted: the failure status when a distribution monitor declares drift (major PSI or a
/// significant KS test) or an error-stream monitor is alarmed, Degraded on a moderate PSI, Healthy otherwise.
/// The data hold the worst PSI, the smallest KS p-value and the counts.
/// </summary>
internal sealed class DriftHealthCheck : IHealthCheck
{
    public const string CheckName = "selflearning-drift";

    private readonly IDriftStatusProvider provider;
    private readonly ILogger logger;

    public DriftHealthCheck(IDriftStatusProvider provider, ILogger<DriftHealthCheck>? logger = null)
    {
        this.provider = Guard.NotNull(provider);
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthCheckRunner.RunAsync(
            CheckName,
            context,
            _ => ValueTask.FromResult((provider.GetDistributionReports(), provider.GetErrorStreams())),
            state => Judge(state.Item1, state.Item2, context),
            logger,
            cancellationToken);

    private static HealthCheckResult Judge(IReadOnlyList<DriftReport> reports, IReadOnlyList<ErrorStreamStatus> streams, HealthCheckContext? context)
    {
        DriftReport[] judged = [.. reports.Where(r => r.IsSufficient)];
        string[] drifted = [.. judged.Where(r => r.IsDrift).Select(r => r.Monitor)];
        string[] moderate = [.. judged.Where(r => !r.IsDrift && r.Severity == DriftSeverity.Moderate).Select(r => r.Monitor)];
        string[] alarmed = [.. streams.Where(s => s.IsAlarmed).Select(s => s.Monitor)];

        var data = new Dictionary<string, object>
        {
            ["distributionMonitors"] = judged.Length,
            ["errorStreamMonitors"] = streams.Count,
            ["drifted"] = drifted.Length,
            ["moderate"] = moderate.Length,
            ["alarmedErrorStreams"] = alarmed.Length,
        };
        if (judged.Length > 0)
        {
            data["maxPsi"] = judged.Max(r => r.Psi!.Value);
            data["minKsPValue"] = judged.Min(r => r.KsPValue!.Value);
        }

        if (drifted.Length > 0 || alarmed.Length > 0)
        {
            string description = string.Join(
                " ",
                new[]
                {
                    drifted.Length > 0 ? $"Drift in: {string.Join(", ", drifted)}." : null,
                    alarmed.Length > 0 ? $"Error rate changed in: {string.Join(", ", alarmed)}." : null,
                }.OfType<string>());
            return new HealthCheckResult(HealthCheckRunner.FailureStatus(context), description, data: data);
        }

        return moderate.Length > 0
            ? HealthCheckResult.Degraded($"Moderate shift (PSI) in: {string.Join(", ", moderate)}.", data: data)
            : HealthCheckResult.Healthy("No drift detected.", data);
    }
}
