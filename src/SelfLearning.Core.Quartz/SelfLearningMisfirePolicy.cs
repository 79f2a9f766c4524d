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
    /// (Quartz's <c>FireAndProceed</c>). A cycle is idempotent over the cases it has already seen, so one catch-up cycle
    /// does everything the missed ones would have.
    /// </summary>
    FireOnceNow = 0,

    /// <summary>Skip the missed fire times and wait for the next scheduled one (Quartz's <c>DoNothing</c>).</summary>
    SkipToNextFireTime = 1,
}
