using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// Whether the champion is fresh: Healthy up to <see cref="MonitoringOptions.MaximumChampionAge"/> since its
/// activation, the failure status beyond (or when the registry cannot be read), Degraded when no version is active.
/// </summary>
internal sealed class ModelFreshnessHealthCheck : IHealthCheck
{
    public const string CheckName = "selflearning-model-freshness";

    private readonly IChampionInfoProvider provider;
    private readonly TimeSpan maximumAge;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    public ModelFreshnessHealthCheck(
        IChampionInfoProvider provider,
        IOptions<MonitoringOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<ModelFreshnessHealthCheck>? logger = null)
    {
        this.provider = Guard.NotNull(provider);
        maximumAge = MonitoringOptionsValidator.Validated(options).MaximumChampionAge;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthCheckRunner.RunAsync(CheckName, context, provider.GetChampionAsync, champion => Judge(champion, context), logger, cancellationToken);

    private HealthCheckResult Judge(ChampionInfo? champion, HealthCheckContext? context)
    {
        if (champion is null)
        {
            return HealthCheckResult.Degraded(
                "No model version is active yet.",
                data: new Dictionary<string, object> { ["maximumAgeHours"] = maximumAge.TotalHours });
        }

        TimeSpan age = timeProvider.GetUtcNow() - champion.ActivatedAt;
        var data = new Dictionary<string, object>
        {
            ["model"] = champion.Model,
            ["version"] = champion.Version,
            ["activatedAt"] = champion.ActivatedAt,
            ["ageHours"] = age.TotalHours,
            ["maximumAgeHours"] = maximumAge.TotalHours,
        };
        return age <= maximumAge
            ? HealthCheckResult.Healthy($"Champion {champion.Model}/{champion.Version} is {age.TotalDays:F1} days old.", data)
            : new HealthCheckResult(
                HealthCheckRunner.FailureStatus(context),
                $"Champion {champion.Model}/{champion.Version} is {age.TotalDays:F1} days old, older than the {maximumAge.TotalDays:F1} days allowed.",
                data: data);
    }
}
