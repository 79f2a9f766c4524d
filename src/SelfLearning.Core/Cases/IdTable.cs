using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SelfLearning.Cases;

/// <summary>
/// A hash table from 128-bit keys that are already uniformly random (the collector's keyed SipHash of a case id) to a
/// small struct: one array of slots probed linearly, so a lookup usually reads one or two adjacent cache lines instead
/// of <see cref="Dictionary{TKey, TValue}"/>'s bucket and entry, and <see cref="Touch"/> lets a caller start the memory
/// reads of a batch of keys before it works on any of them. Not thread-safe; entries are never removed, only cleared.
/// </summary>
/// <typeparam name="TValue">The state kept per key.</typeparam>
internal sealed class IdTable<TValue>
    where TValue : struct
{
    private const int MinimumSlots = 16;

    /// <summary>The most keys per slot before the table grows: linear probing stays short below about 0.7.</summary>
    private const double MaximumLoad = 0.7;

    private Slot[] _slots;
    private int _growAt;

    /// <summary>Initializes a new instance of the <see cref="IdTable{TValue}"/> class sized for <paramref name="expected"/> keys.</summary>
    /// <param name="expected">How many keys the table should hold without growing (0 or more).</param>
    public IdTable(int expected)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expected);
        _slots = new Slot[SlotsFor(expected)];
        _growAt = GrowAt(_slots.Length);
    }

    /// <summary>Gets the number of keys held.</summary>
    public int Count { get; private set; }

    /// <summary>Gets a reference to the value of <paramref name="key"/>, adding it with a default value when it is not there.</summary>
    /// <param name="key">The key.</param>
    /// <param name="exists">Whether the key was already there.</param>
    /// <returns>The value's slot, valid until the next addition.</returns>
    public ref TValue GetValueRefOrAddDefault(UInt128 key, out bool exists)
    {
        if (Count >= _growAt)
        {
            Resize(_slots.Length * 2);
        }

        Slot[] slots = _slots;
        int i = Home(key, slots.Length);
        while (true)
        {
            ref Slot slot = ref slots[i];
            if (!slot.Used)
            {
                slot.Used = true;
                slot.Key = key;
                Count++;
                exists = false;
                return ref slot.Value;
            }

            if (slot.Key == key)
            {
                exists = true;
                return ref slot.Value;
            }

            i = i + 1 == slots.Length ? 0 : i + 1;
        }
    }

    /// <summary>Gets a reference to the value of <paramref name="key"/>, or a null reference when it is not there.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value's slot, or <see cref="Unsafe.NullRef{T}"/>.</returns>
    public ref TValue GetValueRefOrNullRef(UInt128 key)
    {
        Slot[] slots = _slots;
        int i = Home(key, slots.Length);
        while (true)
        {
            ref Slot slot = ref slots[i];
            if (!slot.Used)
            {
                return ref Unsafe.NullRef<TValue>();
            }

            if (slot.Key == key)
            {
                return ref slot.Value;
            }

            i = i + 1 == slots.Length ? 0 : i + 1;
        }
    }

    /// <summary>
    /// Reads the home slot of <paramref name="key"/>, so that the memory read of a batch of keys overlaps: a caller
    /// touches every key of the batch first, then looks them up. The result only keeps the read from being dropped.
    /// </summary>
    /// <param name="key">The key about to be looked up.</param>
    /// <returns>1 when the home slot is in use, otherwise 0.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Touch(UInt128 key) => _slots[Home(key, _slots.Length)].Used ? 1 : 0;

    /// <summary>Grows the table, when needed, to hold <paramref name="expected"/> keys without growing again.</summary>
    /// <param name="expected">How many keys the table should hold.</param>
    public void EnsureCapacity(int expected)
    {
        int slots = SlotsFor(expected);
        if (slots > _slots.Length)
        {
            Resize(slots);
        }
    }

    /// <summary>Removes every key, keeping the slots for reuse.</summary>
    public void Clear()
    {
        Array.Clear(_slots);
        Count = 0;
    }

    /// <summary>The key's first slot: the high half of the key's low 64 bits times the slot count (the keys are uniform).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(UInt128 key, int slots) => (int)Math.BigMul((ulong)key, (ulong)slots, out _);

    private static int SlotsFor(int expected) =>
        (int)Math.Min(Array.MaxLength, Math.Max(MinimumSlots, (long)Math.Ceiling(expected / MaximumLoad) + 1));

    private static int GrowAt(int slots) => slots == Array.MaxLength ? slots - 1 : (int)(slots * MaximumLoad);

    private void Resize(int slots)
    {
        if (_slots.Length >= Array.MaxLength)
        {
            throw new InvalidOperationException($"The per-id table is full: {Count} ids.");
        }

        Slot[] old = _slots;
        var grown = new Slot[Math.Min(slots, Array.MaxLength)];
        foreach (ref Slot slot in old.AsSpan())
        {
            if (!slot.Used)
            {
                continue;
            }

            int i = Home(slot.Key, grown.Length);
            while (grown[i].Used)
            {
                i = i + 1 == grown.Length ? 0 : i + 1;
            }

            grown[i] = slot;
        }

        _slots = grown;
        _growAt = GrowAt(grown.Length);
    }

    [StructLayout(LayoutKind.Auto)]
    private struct Slot
    {
        public UInt128 Key;
        public TValue Value;
        public bool Used;
    }
}
