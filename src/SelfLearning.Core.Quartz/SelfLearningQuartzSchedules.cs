using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using SelfLearning.Hosting;

namespace SelfLearning.Quartz;

/// <summary>
/// Adds one cycle job and its cron trigger per model to the host's Quartz scheduler when the host starts, and nothing
/// else: the scheduler, its job store and its clustering stay the host's. A stored trigger that already says what the
/// options say is left alone, so instances of a cluster starting one after another neither reset its fire times nor
/// fire one twice; a changed schedule replaces it. Two instances storing a new trigger at once store it once: the
/// second finds the first's and keeps it.
/// </summary>
internal sealed class SelfLearningQuartzSchedules(
    IServiceProvider services,
    IOptions<SelfLearningOptions> loopOptions,
    IOptions<SelfLearningQuartzOptions> options,
    ILogger<SelfLearningQuartzSchedules> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        SelfLearningQuartzOptions settings = options.Value;
        IScheduler scheduler = await GetSchedulerAsync(settings, cancellationToken).ConfigureAwait(false);
        foreach (string model in loopOptions.Value.Models)
        {
            await ScheduleAsync(scheduler, model, settings, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The job of <paramref name="model"/>'s cycle.</summary>
    internal static IJobDetail CycleJob(string model, SelfLearningQuartzOptions settings) =>
        JobBuilder.Create<SelfLearningCycleJob>()
            .WithIdentity(model, settings.JobGroup)
            .WithDescription($"The self-learning cycle of model '{model}'.")
            // A cycle cut short by a node's death is run again at once by another node rather than at the next fire time.
            .RequestRecovery()
            .Build();

    /// <summary>
    /// The cron trigger of <paramref name="model"/>'s cycle, on its own schedule or the default, starting now on
    /// <paramref name="clock"/> (the scheduler's clock, which decides when it is due).
    /// </summary>
    internal static ICronTrigger CycleTrigger(string model, SelfLearningQuartzOptions settings, TimeProvider clock) =>
        (ICronTrigger)TriggerBuilder.Create(clock)
            .WithIdentity(model, settings.JobGroup)
            .ForJob(model, settings.JobGroup)
            .WithDescription($"When the self-learning cycle of model '{model}' runs.")
            .WithCronSchedule(CronScheduleOf(model, settings), cron => cron
                .InTimeZone(settings.TimeZone)
                .WithMisfireInstruction(settings.MisfirePolicy == SelfLearningMisfirePolicy.SkipToNextFireTime
                    ? CronTriggerMisfireInstruction.DoNothing
                    : CronTriggerMisfireInstruction.FireAndProceed))
            .Build();

    /// <summary>The cron expression <paramref name="model"/> runs on.</summary>
    internal static string CronScheduleOf(string model, SelfLearningQuartzOptions settings) =>
        settings.CronSchedules.TryGetValue(model, out string? cron) ? cron : settings.DefaultCronSchedule;

    private async Task<IScheduler> GetSchedulerAsync(SelfLearningQuartzOptions settings, CancellationToken cancellationToken)
    {
        ISchedulerFactory factory = services.GetService<ISchedulerFactory>() ?? throw new InvalidOperationException(
            "UseQuartz adds the self-learning cycles to the host's Quartz scheduler, but no scheduler is registered: call " +
            "services.AddQuartz(…) to configure one (job store, clustering) and services.AddQuartzHostedService(…) to run it with the host.");
        if (settings.SchedulerName is null)
        {
            return await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        }

        return await factory.LookupScheduler(settings.SchedulerName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"{QuartzConstants.Section}:SchedulerName is '{settings.SchedulerName}', but no Quartz scheduler of that name is registered; register it with services.AddQuartz(\"{settings.SchedulerName}\", …).");
    }

    private async Task ScheduleAsync(IScheduler scheduler, string model, SelfLearningQuartzOptions settings, CancellationToken cancellationToken)
    {
        IJobDetail job = CycleJob(model, settings);
        ICronTrigger trigger = CycleTrigger(model, settings, scheduler.TimeProvider);
        if (await IsStoredAsync(scheduler, job, trigger, cancellationToken).ConfigureAwait(false))
        {
            QuartzLog.ScheduleUnchanged(logger, model, trigger.CronExpressionString!);
            return;
        }

        bool stored = await scheduler.Exists(trigger.Key, cancellationToken).ConfigureAwait(false)
            || await scheduler.Exists(job.Key, cancellationToken).ConfigureAwait(false);
        try
        {
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = stored }, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another instance stored it between the check and the write; it is kept unless it says something else.
            if (!await IsStoredAsync(scheduler, job, trigger, cancellationToken).ConfigureAwait(false))
            {
                await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken).ConfigureAwait(false);
            }
        }

        QuartzLog.Scheduled(logger, model, trigger.CronExpressionString!, settings.TimeZone.Id, settings.MisfirePolicy);
    }

    /// <summary>Whether the scheduler already holds <paramref name="job"/> with <paramref name="trigger"/> as the options describe them.</summary>
    private static async Task<bool> IsStoredAsync(IScheduler scheduler, IJobDetail job, ICronTrigger trigger, CancellationToken cancellationToken)
    {
        IJobDetail? storedJob = await scheduler.GetJobDetail(job.Key, cancellationToken).ConfigureAwait(false);
        return storedJob is not null
            && storedJob.JobType.Equals(job.JobType)
            && await scheduler.GetTrigger(trigger.Key, cancellationToken).ConfigureAwait(false) is ICronTrigger stored
            && stored.JobKey.Equals(job.Key)
            && string.Equals(stored.CronExpressionString, trigger.CronExpressionString, StringComparison.Ordinal)
            && string.Equals(stored.TimeZone.Id, trigger.TimeZone.Id, StringComparison.Ordinal)
            && stored.MisfireInstruction == trigger.MisfireInstruction;
    }
}
