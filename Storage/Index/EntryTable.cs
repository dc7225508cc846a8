using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace TinyKv.Storage.Index;

/// <summary>
/// The exact-lookup table beside the skip list: open addressing with linear probing over an array
/// of entry references, so a key costs one slot and no node object. One writer adds and removes;
/// readers probe without locks.
/// </summary>
/// <remarks>
/// Invariants: at most half the slots are used (entries plus removal markers), so every probe
/// reaches an empty slot; an entry is fully built before a release write publishes it in its slot;
/// a removed entry's slot holds <see cref="Removed"/> so probes for keys placed after it go on.
/// Growing builds a new array and publishes it whole: a reader still probing the old array sees
/// the table as it was, which is all a reader at an already published sequence needs.
/// </remarks>
internal sealed class EntryTable
{
    private const int MinimumCapacity = 32;
    private static readonly MvccEntry Removed = MvccEntry.Sentinel(1);
    private MvccEntry?[] _slots;
    private int _count;
    private int _used;

    /// <summary>An empty table with room for <paramref name="capacity"/> entries before it first grows.</summary>
    public EntryTable(int capacity = 0) => _slots = new MvccEntry?[SlotsFor(capacity)];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MvccEntry? Find(ReadOnlySpan<byte> key)
    {
        var slots = Volatile.Read(ref _slots);
        int hash = Hash(key);
        int mask = slots.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            var entry = Volatile.Read(ref slots[i]);
            if (entry is null)
            {
                return null;
            }

            if (entry.KeyHash == hash && !ReferenceEquals(entry, Removed) && entry.Key.SequenceEqual(key))
            {
                return entry;
            }
        }
    }

    /// <summary>Adds <paramref name="entry"/>, whose key must not be in the table. Writer only.</summary>
    public void Add(MvccEntry entry)
    {
        entry.KeyHash = Hash(entry.Key);
        Insert(entry);
    }

    /// <summary>
    /// Adds <paramref name="entries"/> (keys not in the table): hashes them all and prefetches
    /// their home slots before inserting any, so the cache misses of a large table overlap
    /// instead of coming one after the other (building a table of a whole replay). Writer only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void AddAll(ReadOnlySpan<MvccEntry> entries)
    {
        var slots = _slots;
        int mask = slots.Length - 1;
        foreach (var entry in entries)
        {
            entry.KeyHash = Hash(entry.Key);
            // A hint only: should the array move meanwhile, a prefetch of the old address is harmless.
            if (Sse.IsSupported)
            {
                Sse.Prefetch0(Unsafe.AsPointer(ref slots[entry.KeyHash & mask]));
            }
        }

        foreach (var entry in entries)
        {
            Insert(entry);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Insert(MvccEntry entry)
    {
        if (_used + 1 > _slots.Length / 2)
        {
            Rebuild(SlotsFor(_count + 1));
        }

        var slots = _slots;
        int mask = slots.Length - 1;
        int i = entry.KeyHash & mask;
        while (slots[i] is { } occupant && !ReferenceEquals(occupant, Removed))
        {
            i = (i + 1) & mask;
        }

        if (slots[i] is null)
        {
            _used++;
        }

        Volatile.Write(ref slots[i], entry);
        _count++;
    }

    /// <summary>Removes <paramref name="entry"/> (by identity) if present. Writer only.</summary>
    public void Remove(MvccEntry entry)
    {
        var slots = _slots;
        int mask = slots.Length - 1;
        for (int i = entry.KeyHash & mask; slots[i] is { } occupant; i = (i + 1) & mask)
        {
            if (ReferenceEquals(occupant, entry))
            {
                Volatile.Write(ref slots[i], Removed);
                _count--;
                return;
            }
        }
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    /// <summary>
    /// Slots for <paramref name="capacity"/> entries at a load of at most a third: a rebuild (when
    /// half the slots are used) is then at least a sixth of the slots' worth of writes away, so
    /// rebuilds, which also clear removal markers, cost O(1) per write amortized.
    /// </summary>
    private static int SlotsFor(int capacity) => (int)Math.Max(MinimumCapacity, BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity) * 3));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Rebuild(int slotCount)
    {
        var slots = new MvccEntry?[slotCount];
        int mask = slotCount - 1;
        foreach (var entry in _slots)
        {
            if (entry is null || ReferenceEquals(entry, Removed))
            {
                continue;
            }

            int i = entry.KeyHash & mask;
            while (slots[i] is not null)
            {
                i = (i + 1) & mask;
            }

            slots[i] = entry;
        }

        _used = _count;
        Volatile.Write(ref _slots, slots);
    }
}
