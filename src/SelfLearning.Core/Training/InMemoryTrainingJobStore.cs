using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// A thread-safe <see cref="ITrainingJobStore"/> in process memory: for tests and for hosts that accept losing the
/// job history on restart. The SQLite store in <c>SelfLearning.Core.Sqlite</c> survives restarts.
/// </summary>
internal sealed class InMemoryTrainingJobStore : ITrainingJobStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TrainingJobTransition>> _transitions = new(StringComparer.Ordinal);
    private long _sequence;

    /// <inheritdoc />
    public ValueTask<TrainingJob> AddAsync(TrainingJob job, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(job);
        TrainingJobStoreChecks.EnsureNew(job);
        lock (_lock)
        {
            if (_jobs.ContainsKey(job.Id))
            {
                throw new ArgumentException($"A training job with id '{job.Id}' already exists.", nameof(job));
            }

            var stored = job with { Sequence = ++_sequence, Version = 1 };
            _jobs.Add(stored.Id, stored);
            _transitions.Add(stored.Id, []);
            return ValueTask.FromResult(stored);
        }
    }

    /// <inheritdoc />
    public ValueTask<TrainingJob?> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(jobId);
        lock (_lock)
        {
            return ValueTask.FromResult(_jobs.GetValueOrDefault(jobId));
        }
    }

    /// <inheritdoc />
    public ValueTask<TrainingJob?> TryUpdateAsync(TrainingJob job, string? reason = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(job);
        lock (_lock)
        {
            if (!_jobs.TryGetValue(job.Id, out var current))
            {
                throw new KeyNotFoundException($"No training job has id '{job.Id}'.");
            }

            if (current.Version != job.Version)
            {
                return ValueTask.FromResult<TrainingJob?>(null);
            }

            TrainingJobStoreChecks.EnsureUpdateAllowed(current, job);
            var stored = job with { Version = current.Version + 1 };
            if (current.State != job.State)
            {
                _transitions[job.Id].Add(new TrainingJobTransition(job.Id, current.State, job.State, job.UpdatedAt, reason));
            }

            _jobs[job.Id] = stored;
            return ValueTask.FromResult<TrainingJob?>(stored);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TrainingJob>> ListAsync(
        string? modelKey = null,
        IReadOnlyCollection<TrainingJobState>? states = null,
        CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<TrainingJob> result = _jobs.Values
                .Where(j => (modelKey is null || string.Equals(j.ModelKey, modelKey, StringComparison.Ordinal))
                    && (states is null || states.Count == 0 || states.Contains(j.State)))
                .OrderBy(j => j.Sequence)
                .ToArray();
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TrainingJobTransition>> GetTransitionsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(jobId);
        lock (_lock)
        {
            IReadOnlyList<TrainingJobTransition> result = _transitions.TryGetValue(jobId, out var list) ? list.ToArray() : [];
            return ValueTask.FromResult(result);
        }
    }
}
