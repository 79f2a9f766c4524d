namespace SelfLearning.Quartz;

/// <summary>
/// How the self-learning loop's cycles are scheduled on the host's Quartz.NET scheduler: one job per model, fired by a
/// cron trigger. Set with <see cref="QuartzSelfLearningBuilderExtensions.UseQuartz(SelfLearning.Hosting.ISelfLearningBuilder, Action{SelfLearningQuartzOptions})"/>;
/// validated at start.
/// </summary>
public sealed class SelfLearningQuartzOptions
{
    /// <summary>
    /// Gets or sets the Quartz cron expression (seconds, minutes, hours, day of month, month, day of week, optional year)
    /// of every model without an entry in <see cref="CronSchedules"/>.
    /// </summary>
    /// <value>The default value is <c>0 0 * * * ?</c>: every hour on the hour, like the built-in background service's one-hour interval.</value>
    public string DefaultCronSchedule { get; set; } = QuartzConstants.DefaultCronSchedule;

    /// <summary>Gets the Quartz cron expression of each model that does not use <see cref="DefaultCronSchedule"/>, by model name.</summary>
    public IDictionary<string, string> CronSchedules { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the time zone the cron expressions are read in.</summary>
    /// <value>The default value is <see cref="TimeZoneInfo.Utc"/>.</value>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Gets or sets what a model's trigger does when it missed a fire time.</summary>
    /// <value>The default value is <see cref="SelfLearningMisfirePolicy.FireOnceNow"/>.</value>
    public SelfLearningMisfirePolicy MisfirePolicy { get; set; } = SelfLearningMisfirePolicy.FireOnceNow;

    /// <summary>
    /// Gets or sets the Quartz group of the cycle jobs and their triggers; each job and trigger is named after its model.
    /// Every instance of a cluster must use the same group.
    /// </summary>
    /// <value>The default value is <c>SelfLearning</c>.</value>
    public string JobGroup { get; set; } = QuartzConstants.DefaultJobGroup;

    /// <summary>
    /// Gets or sets the name of the scheduler (registered with <c>AddQuartz(name, …)</c>) the jobs are added to, or
    /// <see langword="null"/> for the container's default scheduler (<c>AddQuartz(…)</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SchedulerName { get; set; }
}
