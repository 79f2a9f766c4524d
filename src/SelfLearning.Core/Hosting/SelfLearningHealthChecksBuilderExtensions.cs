using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Serving;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the self-learning loop's health checks.</summary>
public static class SelfLearningHealthChecksBuilderExtensions
{
    /// <summary>
    /// Registers the four checks of the loop registered with <c>AddSelfLearning</c>: <c>selflearning-data-availability</c>
    /// (new validated cases since the last training), <c>selflearning-model-freshness</c> (the champion's age),
    /// <c>selflearning-last-training-job</c> and <c>selflearning-drift</c> (the <see cref="IDriftStatusProvider"/>: by default the
    /// <see cref="DriftMonitorSet"/> holding the champions' score and error-stream monitors). Register them once.
    /// </summary>
    /// <param name="builder">The health checks builder from <c>AddHealthChecks()</c>.</param>
    /// <param name="tags">Tags of every check (for filtering health endpoints); optional.</param>
    /// <param name="failureStatus">
    /// The status a failing check reports. The default is <see cref="HealthStatus.Degraded"/>: none of these conditions stops
    /// the instance serving, so by default none takes it out of a load balancer.
    /// </param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddSelfLearningChecks(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null, HealthStatus failureStatus = HealthStatus.Degraded)
    {
        Guard.NotNull(builder);
        string[] tagList = [.. tags ?? []];
        builder.Services.TryAddSingleton(sp => new LoopHealthSources(
            sp.GetRequiredService<ServingStates>(), sp.GetRequiredService<IModelRegistry>(), sp.GetRequiredService<ITrainingJobStore>(), sp.GetRequiredService<CaseSourceDataSource>(),
            sp.GetRequiredService<IOptionsMonitor<SelfLearningModelOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Add(new HealthCheckRegistration(
            DataAvailabilityHealthCheck.CheckName,
            sp => new DataAvailabilityHealthCheck(sp.GetRequiredService<LoopHealthSources>(), sp.GetRequiredService<IOptions<MonitoringOptions>>(), sp.GetService<ILogger<DataAvailabilityHealthCheck>>()),
            failureStatus,
            tagList));
        builder.Add(new HealthCheckRegistration(
            ModelFreshnessHealthCheck.CheckName,
            sp => new ModelFreshnessHealthCheck(
                sp.GetRequiredService<LoopHealthSources>(), sp.GetRequiredService<IOptions<MonitoringOptions>>(), sp.GetService<TimeProvider>(), sp.GetService<ILogger<ModelFreshnessHealthCheck>>()),
            failureStatus,
            tagList));
        builder.Add(new HealthCheckRegistration(
            LastTrainingJobHealthCheck.CheckName,
            sp => new LastTrainingJobHealthCheck(sp.GetRequiredService<LoopHealthSources>(), sp.GetService<ILogger<LastTrainingJobHealthCheck>>()),
            failureStatus,
            tagList));
        builder.Add(new HealthCheckRegistration(
            DriftHealthCheck.CheckName,
            sp => new DriftHealthCheck(sp.GetRequiredService<IDriftStatusProvider>(), sp.GetService<ILogger<DriftHealthCheck>>()),
            failureStatus,
            tagList));
        return builder;
    }
}
