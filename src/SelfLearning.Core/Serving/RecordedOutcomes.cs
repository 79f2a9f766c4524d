using System.Collections.Concurrent;

namespace SelfLearning.Serving;

/// <summary>
/// The prediction ids whose outcome was recorded, so a retried outcome (at-least-once delivery from a queue) is
/// counted once. Bounded: past <see cref="Capacity"/> ids the oldest are forgotten, so a retry arriving after
/// that many newer outcomes would count again.
/// </summary>
internal sealed class RecordedOutcomes(int capacity)
{
    private readonly ConcurrentDictionary<Guid, byte> _ids = new();
    private readonly ConcurrentQueue<Guid> _order = new();
    private long _duplicates;

    /// <summary>Gets how many ids are remembered at most.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Gets how many repeated outcomes were ignored.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Counts a repeated outcome that another store (the experiment store) recognised.</summary>
    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    /// <summary>Marks the id recorded; <see langword="false"/> (and counted) when it already was.</summary>
    public bool TryAdd(Guid id)
    {
        if (!_ids.TryAdd(id, 0))
        {
            Interlocked.Increment(ref _duplicates);
            return false;
        }

        _order.Enqueue(id);
        while (_ids.Count > Capacity && _order.TryDequeue(out Guid oldest))
        {
            _ids.TryRemove(oldest, out _);
        }

        return true;
    }
}
