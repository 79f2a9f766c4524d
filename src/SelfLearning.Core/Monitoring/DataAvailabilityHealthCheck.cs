using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// Whether enough new validated cases arrived since the last training: Healthy from
/// <see cref="MonitoringOptions.MinimumNewCases"/> on, and right after a training (few new cases are expected then, until
/// the model's <c>DataStaleAfter</c> has passed); Degraded below the minimum after that, the failure status when the count
/// cannot be read.
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

    private HealthCheckResult Judge(NewCaseCount count)
    {
        long newCases = count.NewCases;
        var data = new Dictionary<string, object> { ["newCases"] = newCases, ["minimumNewCases"] = minimumNewCases };
        if (count.LastTrainedAt is { } lastTrainedAt)
        {
            data["lastTrainedAt"] = lastTrainedAt;
        }

        if (newCases >= minimumNewCases)
        {
            return HealthCheckResult.Healthy($"{newCases} new validated cases since the last training (need {minimumNewCases}).", data);
        }

        return count.RecentlyTrained
            ? HealthCheckResult.Healthy($"{newCases} new validated cases since the recent training at {count.LastTrainedAt:O}; {minimumNewCases} are needed to retrain.", data)
            : HealthCheckResult.Degraded($"Only {newCases} new validated cases since the last training; {minimumNewCases} are needed to retrain.", data: data);
    }
}
