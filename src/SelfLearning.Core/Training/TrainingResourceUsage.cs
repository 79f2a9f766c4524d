namespace SelfLearning.Training;

/// <summary>
/// What a run cost. Wall time is measured with the engine's <see cref="TimeProvider"/>; CPU time and allocated
/// bytes are process-wide deltas over the run (exact for the job when it is the only one running, the default).
/// </summary>
/// <param name="WallTime">Elapsed time from start to finish.</param>
/// <param name="CpuTime">Processor time the process used meanwhile.</param>
/// <param name="AllocatedBytes">Managed bytes the process allocated meanwhile.</param>
public sealed record TrainingResourceUsage(TimeSpan WallTime, TimeSpan CpuTime, long AllocatedBytes);
