using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace TinyKv.Actors;

/// <summary>
/// The grain directory in memory, shared by every silo of one process given the same instance
/// (like an external store: network filters do not affect it). Registration is atomic per identity.
/// </summary>
public sealed class InMemoryGrainDirectory : IGrainDirectory
{
    private readonly ConcurrentDictionary<GrainId, GrainAddress> _entries = new();

    public int Count => _entries.Count;

    public ValueTask<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previousAddress)
    {
        while (true)
        {
            if (_entries.TryAdd(address.GrainId, address))
            {
                return ValueTask.FromResult(address);
            }

            if (!_entries.TryGetValue(address.GrainId, out var current))
            {
                continue;
            }

            if (previousAddress is not null && current == previousAddress)
            {
                if (_entries.TryUpdate(address.GrainId, address, current))
                {
                    return ValueTask.FromResult(address);
                }

                continue;
            }

            return ValueTask.FromResult(current);
        }
    }

    public ValueTask<GrainAddress?> LookupAsync(GrainId grainId) =>
        ValueTask.FromResult(_entries.TryGetValue(grainId, out var address) ? address : null);

    public bool TryLookupCached(GrainId grainId, [NotNullWhen(true)] out GrainAddress? address) => _entries.TryGetValue(grainId, out address);

    public ValueTask UnregisterAsync(GrainAddress address)
    {
        _entries.TryRemove(new KeyValuePair<GrainId, GrainAddress>(address.GrainId, address));
        return ValueTask.CompletedTask;
    }

    public ValueTask UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos)
    {
        foreach (var entry in _entries)
        {
            if (silos.Contains(entry.Value.Silo))
            {
                _entries.TryRemove(entry);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Snapshot of the entries, for tests and diagnostics.</summary>
    public IReadOnlyList<GrainAddress> Entries => _entries.Values.ToList();
}
