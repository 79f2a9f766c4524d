namespace SelfLearning.Quartz;

/// <summary>
/// What a model's cycle trigger does when it missed a fire time: the scheduler was down, every worker thread was busy,
/// or the model's previous cycle was still running past the next fire time (the job disallows concurrent execution).
/// A fire time counts as missed once it is later than the scheduler's misfire threshold (Quartz's default: one minute).
/// </summary>
public enum SelfLearningMisfirePolicy
{
    /// <summary>
    /// Run one cycle as soon as the scheduler can, however many fire times were missed, then resume the schedule
    /// (Quartz's <c>FireAndProceed</c>). A cycle works from everything that arrived since the previous one, so the
    /// catch-up cycle collects and trains on all of it; a running canary advances by one decision, as in any cycle.
    /// </summary>
    FireOnceNow = 0,

    /// <summary>Skip the missed fire times and wait for the next scheduled one (Quartz's <c>DoNothing</c>).</summary>
    SkipToNextFireTime = 1,
}
