using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// The job state machine. Allowed moves:
/// <list type="table">
/// <listheader><term>from → to</term><description>why</description></listheader>
/// <item><term>Queued → Running</term><description>the engine starts the job.</description></item>
/// <item><term>Queued → Cancelled</term><description>cancelled before it started.</description></item>
/// <item><term>Running → Paused, Paused → Running</term><description>pause and resume.</description></item>
/// <item><term>Running → Completed</term><description>the trainer returned a result.</description></item>
/// <item><term>Running → Failed, Paused → Failed</term><description>a permanent failure, retries exhausted, or an abandoned job recovered as failed.</description></item>
/// <item><term>Running → Cancelled, Paused → Cancelled</term><description>cooperative cancellation.</description></item>
/// <item><term>Running → Queued, Paused → Queued</term><description>a retry after a transient failure, a job abandoned by a dead process and re-queued, or an engine shutting down.</description></item>
/// </list>
/// Completed, Failed and Cancelled are terminal. Staying in the same state is not a transition and is refused too.
/// </summary>
internal static class TrainingJobTransitions
{
    /// <summary>Whether a job may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <returns><see langword="true"/> when the move is in the table above.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A state is not a defined <see cref="TrainingJobState"/>.</exception>
    public static bool IsAllowed(TrainingJobState from, TrainingJobState to) => (Guard.Defined(from), Guard.Defined(to)) switch
    {
        (TrainingJobState.Queued, TrainingJobState.Running) => true,
        (TrainingJobState.Queued, TrainingJobState.Cancelled) => true,
        (TrainingJobState.Running, TrainingJobState.Paused) => true,
        (TrainingJobState.Running, TrainingJobState.Completed) => true,
        (TrainingJobState.Running, TrainingJobState.Failed) => true,
        (TrainingJobState.Running, TrainingJobState.Cancelled) => true,
        (TrainingJobState.Running, TrainingJobState.Queued) => true,
        (TrainingJobState.Paused, TrainingJobState.Running) => true,
        (TrainingJobState.Paused, TrainingJobState.Failed) => true,
        (TrainingJobState.Paused, TrainingJobState.Cancelled) => true,
        (TrainingJobState.Paused, TrainingJobState.Queued) => true,
        _ => false,
    };

    /// <summary>Whether <paramref name="state"/> is Completed, Failed or Cancelled.</summary>
    /// <param name="state">The state to classify.</param>
    /// <returns><see langword="true"/> for a terminal state.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is not a defined <see cref="TrainingJobState"/>.</exception>
    public static bool IsTerminal(TrainingJobState state) =>
        Guard.Defined(state) is TrainingJobState.Completed or TrainingJobState.Failed or TrainingJobState.Cancelled;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the job and both states when the move is refused.</summary>
    internal static void EnsureAllowed(string jobId, TrainingJobState from, TrainingJobState to)
    {
        if (!IsAllowed(from, to))
        {
            string hint = IsTerminal(from)
                ? $"{from} is terminal"
                : $"from {from} a job may only move to {string.Join(", ", AllowedFrom(from))}";
            throw new InvalidOperationException(
                $"Training job '{jobId}' cannot move from {from} to {to}: {hint}.");
        }
    }

    private static IEnumerable<TrainingJobState> AllowedFrom(TrainingJobState from) =>
        Enum.GetValues<TrainingJobState>().Where(to => IsAllowed(from, to));
}
