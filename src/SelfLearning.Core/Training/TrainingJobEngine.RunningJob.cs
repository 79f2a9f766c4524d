namespace SelfLearning.Training;

public sealed partial class TrainingJobEngine
{
    /// <summary>What the engine holds for a job it has picked from the queue until the job leaves its hands.</summary>
    private sealed class RunningJob : IProgress<TrainingProgress>, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new();
        private volatile TrainingProgress? _progress;

        public RunningJob(string jobId, string modelKey)
        {
            JobId = jobId;
            ModelKey = modelKey;
        }

        public string JobId { get; }

        public string ModelKey { get; }

        /// <summary>Serialises this job's writes (progress, heartbeat, pause, resume, finish) so none is based on a stale version.</summary>
        public SemaphoreSlim WriteLock { get; } = new(1, 1);

        /// <summary>The last version written; <see langword="null"/> until the job is claimed. Read and written under <see cref="WriteLock"/>.</summary>
        public TrainingJob? Current { get; set; }

        /// <summary>Set under <see cref="WriteLock"/> once the job has left Running/Paused or its lease was lost; later heartbeats do nothing.</summary>
        public bool Done { get; set; }

        public bool LeaseLost { get; set; }

        public bool ShuttingDown { get; private set; }

        public PauseGate Gate { get; } = new();

        public ITimer? Heartbeat { get; set; }

        public Task Execution { get; set; } = Task.CompletedTask;

        public CancellationToken Token => _cancellation.Token;

        public TrainingProgress? LatestProgress => _progress;

        public void Report(TrainingProgress value) => _progress = value;

        public void Cancel(bool shuttingDown)
        {
            ShuttingDown |= shuttingDown;
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run already finished and released its token source; there is nothing left to cancel.
            }
        }

        public void Dispose()
        {
            Heartbeat?.Dispose();
            _cancellation.Dispose();

            // WriteLock is not disposed: a late heartbeat may still release it, and a SemaphoreSlim whose wait
            // handle was never requested holds no unmanaged resource.
        }
    }

    /// <summary>A queued job as the dispatcher orders it: higher priority first, then arrival order.</summary>
    private sealed record QueueEntry(string JobId, string ModelKey, int Priority, long Sequence, DateTimeOffset? NotBefore)
    {
        public static IComparer<QueueEntry> Order { get; } = Comparer<QueueEntry>.Create((a, b) =>
        {
            int byPriority = b.Priority.CompareTo(a.Priority);
            return byPriority != 0 ? byPriority : a.Sequence.CompareTo(b.Sequence);
        });

        public static QueueEntry From(TrainingJob job) => new(job.Id, job.ModelKey, job.Priority, job.Sequence, job.NotBefore);
    }
}
