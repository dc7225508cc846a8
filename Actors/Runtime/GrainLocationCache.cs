using System.Numerics;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// Where a client last saw each grain answer from: a fixed-size, direct-mapped table (a newer
/// entry evicts the older one in its slot), so its memory is bounded whatever the number of grains
/// and a lookup or update costs one array access. Entries are hints: a stale one sends a call to a
/// silo that no longer hosts the grain, which routes it on (the silo's directory is the truth).
/// Thread-safe: slots hold immutable entries written and read atomically.
/// </summary>
internal sealed class GrainLocationCache
{
    private readonly Location?[] _slots;
    private readonly int _mask;

    /// <param name="capacity">Rounded up to a power of two.</param>
    public GrainLocationCache(int capacity = 4096)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 1));
        _slots = new Location?[size];
        _mask = size - 1;
    }

    public bool TryGet(GrainId grain, out SiloAddress silo)
    {
        if (Volatile.Read(ref _slots[grain.GetHashCode() & _mask]) is { } entry && entry.Grain == grain)
        {
            silo = entry.Silo;
            return true;
        }

        silo = null!;
        return false;
    }

    /// <summary>Records that <paramref name="grain"/> answered from <paramref name="silo"/>; allocates only when the slot changes.</summary>
    public void Set(GrainId grain, SiloAddress silo)
    {
        ref var slot = ref _slots[grain.GetHashCode() & _mask];
        if (Volatile.Read(ref slot) is { } entry && entry.Grain == grain && entry.Silo == silo)
        {
            return;
        }

        Volatile.Write(ref slot, new Location(grain, silo));
    }

    /// <summary>Forgets <paramref name="grain"/> (its silo failed it as unavailable).</summary>
    public void Remove(GrainId grain)
    {
        ref var slot = ref _slots[grain.GetHashCode() & _mask];
        if (Volatile.Read(ref slot) is { } entry && entry.Grain == grain)
        {
            Interlocked.CompareExchange(ref slot, null, entry);
        }
    }

    private sealed record Location(GrainId Grain, SiloAddress Silo);
}
