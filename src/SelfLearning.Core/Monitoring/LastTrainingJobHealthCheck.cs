using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// Whether the last training job succeeded: Healthy when it did or none has finished yet, the failure status
/// when it failed or the job store cannot be read.
/// </summary>
internal sealed class LastTrainingJobHealthCheck : IHealthCheck
{
    public const string CheckName = "selflearning-last-training-job";

    private readonly ILastTrainingJobProvider provider;
    private readonly ILogger logger;

    public LastTrainingJobHealthCheck(ILastTrainingJobProvider provider, ILogger<LastTrainingJobHealthCheck>? logger = null)
    {
        this.provider = Guard.NotNull(provider);
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthCheckRunner.RunAsync(CheckName, context, provider.GetLastFinishedJobAsync, job => Judge(job, context), logger, cancellationToken);

    private static HealthCheckResult Judge(TrainingJobInfo? job, HealthCheckContext? context)
    {
        if (job is null)
        {
            return HealthCheckResult.Healthy("No training job has finished yet.");
        }

        var data = new Dictionary<string, object> { ["jobId"] = job.JobId, ["finishedAt"] = job.FinishedAt, ["failed"] = job.Failed };
        if (!job.Failed)
        {
            return HealthCheckResult.Healthy($"The last training job {job.JobId} succeeded.", data);
        }

        data["error"] = job.Error ?? string.Empty;
        return new HealthCheckResult(
            HealthCheckRunner.FailureStatus(context),
            $"The last training job {job.JobId} failed at {job.FinishedAt:O}: {job.Error ?? "no error message"}",
            data: data);
    }
}
