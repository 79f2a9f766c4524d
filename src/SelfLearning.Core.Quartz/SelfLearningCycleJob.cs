using System.Globalization;
using Microsoft.Extensions.Logging;
using Quartz;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;

namespace SelfLearning.Quartz;

/// <summary>
/// One model's cycle as a Quartz job: the job is named after the model and runs <see cref="ISelfLearningLoop.RunCycleAsync"/>
/// for it, leaving the <see cref="SelfLearningCycleResult"/> in <see cref="IJobExecutionContext.Result"/> for the
/// scheduler's listeners. Never two at once for one model: Quartz keeps a second firing waiting while one runs, across
/// every node of a cluster. A failed cycle is logged, published as <see cref="SelfLearningEventKind.JobFailed"/> like
/// the background service's failures, and handed to Quartz as a <see cref="JobExecutionException"/> (not refired), so
/// the scheduler records it and carries on; the next fire time runs the cycle again.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class SelfLearningCycleJob(
    ISelfLearningLoop loop,
    ISelfLearningEventPublisher events,
    TimeProvider timeProvider,
    ILogger<SelfLearningCycleJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string model = context.JobDetail.Key.Name;
        QuartzLog.CycleFired(logger, model, context.ScheduledFireTimeUtc, context.Scheduler.SchedulerInstanceId);
        try
        {
            context.Result = await loop.RunCycleAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The scheduler is shutting down: the training is cancelled and nothing half-done is registered.
            QuartzLog.CycleCancelled(logger, model);
            throw;
        }
        catch (Exception e) when (e is not JobExecutionException)
        {
            QuartzLog.CycleFailed(logger, e, model, context.ScheduledFireTimeUtc);
            events.Publish(new SelfLearningEvent(
                SelfLearningEventKind.JobFailed,
                timeProvider.GetUtcNow(),
                model,
                null,
                string.Create(CultureInfo.InvariantCulture, $"The self-learning cycle fired by Quartz for {context.ScheduledFireTimeUtc:O} failed: {e.Message}; the next fire time runs it again.")));
            throw new JobExecutionException($"The self-learning cycle of model '{model}' failed: {e.Message}", e) { RefireImmediately = false };
        }
    }
}
