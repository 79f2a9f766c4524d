using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// Runs the loop's <see cref="TrainingJobEngine"/> from the first training a cycle asks for until the host's services
/// are disposed, so the loop's jobs are processed whether or not a host runs the background service.
/// </summary>
internal sealed class TrainingEngineRunner(TrainingJobEngine engine) : IDisposable
{
    private readonly TrainingJobEngine _engine = Guard.NotNull(engine);
    private readonly object _lock = new();
    private CancellationTokenSource? _stop;
    private Task? _running;
    private bool _disposed;

    /// <summary>Starts the engine's queue processing once; later calls do nothing.</summary>
    /// <exception cref="ObjectDisposedException">The host's services were disposed.</exception>
    public void EnsureStarted()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_running is null)
            {
                _stop = new CancellationTokenSource();
                CancellationToken token = _stop.Token;
                _running = Task.Run(() => _engine.RunAsync(token), CancellationToken.None);
            }
        }
    }

    /// <summary>Stops the engine (its running jobs are cancelled and queued again for the next start) and waits for it.</summary>
    public void Dispose()
    {
        Task? running;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stop?.Cancel();
            running = _running;
        }

        try
        {
            running?.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopped while starting: nothing ran.
        }
        finally
        {
            _stop?.Dispose();
        }
    }
}
