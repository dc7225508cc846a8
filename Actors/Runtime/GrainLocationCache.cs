using System.Collections.Concurrent;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// Where a client last saw each grain answer from. Bounded: when it would hold more than its
/// capacity it starts over empty (a coarse eviction that costs nothing per call; the next answer of
/// each grain fills it again). Entries are hints: a stale one sends a call to a silo that no longer
/// hosts the grain, which routes it on (the silo's directory is the truth). Thread-safe.
/// </summary>
internal sealed class GrainLocationCache(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<GrainId, SiloAddress> _entries = new();
    private int _count;

    public bool TryGet(GrainId grain, out SiloAddress silo) => _entries.TryGetValue(grain, out silo!);

    /// <summary>Records that <paramref name="grain"/> answered from <paramref name="silo"/>; allocates only for a grain not yet known.</summary>
    public void Set(GrainId grain, SiloAddress silo)
    {
        if (_entries.TryGetValue(grain, out var known))
        {
            if (!ReferenceEquals(known, silo) && known != silo)
            {
                _entries[grain] = silo;
            }

            return;
        }

        if (_entries.TryAdd(grain, silo) && Interlocked.Increment(ref _count) > capacity)
        {
            _entries.Clear();
            Volatile.Write(ref _count, 0);
        }
    }

    /// <summary>Forgets <paramref name="grain"/> (its silo failed it as unavailable).</summary>
    public void Remove(GrainId grain)
    {
        if (_entries.TryRemove(grain, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
