using Microsoft.Extensions.Options;
using Quartz;
using SelfLearning.Hosting;

namespace SelfLearning.Quartz;

/// <summary>
/// Checks <see cref="SelfLearningQuartzOptions"/> at start: every model's cron expression parses and fires again after
/// now (the message names the model and the expression), every per-model schedule names a model the loop learns, and
/// the group, time zone, misfire policy and scheduler name are usable.
/// </summary>
internal sealed class SelfLearningQuartzOptionsValidator(IOptions<SelfLearningOptions> loopOptions, TimeProvider timeProvider)
    : IValidateOptions<SelfLearningQuartzOptions>
{
    public ValidateOptionsResult Validate(string? name, SelfLearningQuartzOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ISet<string> models = loopOptions.Value.Models;
        if (options.TimeZone is null)
        {
            failures.Add($"{QuartzConstants.Section}:TimeZone is null; name the time zone the cron expressions are read in (TimeZoneInfo.Utc by default).");
        }

        foreach (string model in models)
        {
            if (CronFailure(SelfLearningQuartzSchedules.CronScheduleOf(model, options), options.TimeZone) is { } failure)
            {
                string where = options.CronSchedules.ContainsKey(model)
                    ? $"{QuartzConstants.Section}:CronSchedules:{model}"
                    : $"{QuartzConstants.Section}:DefaultCronSchedule (the schedule of model '{model}')";
                failures.Add($"{where} is '{SelfLearningQuartzSchedules.CronScheduleOf(model, options)}', {failure}");
            }
        }

        foreach (string model in options.CronSchedules.Keys.Where(m => !models.Contains(m)))
        {
            failures.Add($"{QuartzConstants.Section}:CronSchedules names model '{model}', which no AddModel added; the models are: {string.Join(", ", models)}.");
        }

        if (string.IsNullOrWhiteSpace(options.JobGroup) || options.JobGroup.Length > QuartzConstants.MaxGroupLength)
        {
            failures.Add($"{QuartzConstants.Section}:JobGroup is '{options.JobGroup}'; it must have 1 to {QuartzConstants.MaxGroupLength} characters, not all white space.");
        }

        if (!Enum.IsDefined(options.MisfirePolicy))
        {
            failures.Add($"{QuartzConstants.Section}:MisfirePolicy is {(int)options.MisfirePolicy}, not a defined {nameof(SelfLearningMisfirePolicy)}.");
        }

        if (options.SchedulerName is { } scheduler && string.IsNullOrWhiteSpace(scheduler))
        {
            failures.Add($"{QuartzConstants.Section}:SchedulerName is '{scheduler}'; leave it null for the default scheduler or name one registered with AddQuartz(name, …).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why <paramref name="cron"/> cannot schedule a cycle, or <see langword="null"/> when it can.</summary>
    private string? CronFailure(string? cron, TimeZoneInfo? timeZone)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return "which is empty; give a Quartz cron expression such as '0 0 * * * ?' (every hour).";
        }

        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron);
        }
        catch (FormatException e)
        {
            return $"not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year]): {e.Message}";
        }

        if (timeZone is not null)
        {
            expression = expression.WithTimeZone(timeZone);
        }

        return expression.GetNextValidTimeAfter(timeProvider.GetUtcNow()) is null
            ? "which never fires again after now, so the model would never run a cycle."
            : null;
    }
}
