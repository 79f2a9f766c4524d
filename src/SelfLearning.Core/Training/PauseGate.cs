namespace SelfLearning.Training;

/// <summary>A gate trainers pass at checkpoints: open while the job runs, closed while it is paused.</summary>
internal sealed class PauseGate
{
    private readonly object _lock = new();
    private TaskCompletionSource? _closed;

    public bool IsPaused
    {
        get
        {
            lock (_lock)
            {
                return _closed is not null;
            }
        }
    }

    public void Pause()
    {
        lock (_lock)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Resume()
    {
        TaskCompletionSource? closed;
        lock (_lock)
        {
            closed = _closed;
            _closed = null;
        }

        closed?.TrySetResult();
    }

    /// <summary>Completes at once when open; otherwise when resumed, or throws when <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Task? wait;
        lock (_lock)
        {
            wait = _closed?.Task;
        }

        return wait is null ? Task.CompletedTask : wait.WaitAsync(cancellationToken);
    }
}
