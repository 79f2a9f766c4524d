using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// Whether enough new validated cases arrived since the last training: Healthy from
/// <see cref="MonitoringOptions.MinimumNewCases"/> on, Degraded below, the failure status when the count cannot be read.
/// </summary>
internal sealed class DataAvailabilityHealthCheck : IHealthCheck
{
    public const string CheckName = "selflearning-data-availability";

    private readonly INewCaseCountProvider provider;
    private readonly long minimumNewCases;
    private readonly ILogger logger;

    public DataAvailabilityHealthCheck(INewCaseCountProvider provider, IOptions<MonitoringOptions> options, ILogger<DataAvailabilityHealthCheck>? logger = null)
    {
        this.provider = Guard.NotNull(provider);
        minimumNewCases = MonitoringOptionsValidator.Validated(options).MinimumNewCases;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthCheckRunner.RunAsync(CheckName, context, provider.CountNewCasesAsync, Judge, logger, cancellationToken);

    private HealthCheckResult Judge(long newCases)
    {
        var data = new Dictionary<string, object> { ["newCases"] = newCases, ["minimumNewCases"] = minimumNewCases };
        return newCases >= minimumNewCases
            ? HealthCheckResult.Healthy($"{newCases} new validated cases since the last training (need {minimumNewCases}).", data)
            : HealthCheckResult.Degraded($"Only {newCases} new validated cases since the last training; {minimumNewCases} are needed to retrain.", data: data);
    }
}
