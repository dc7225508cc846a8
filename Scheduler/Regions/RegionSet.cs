namespace TinyKv.Scheduler.Regions;

/// <summary>
/// A set of region ids with O(1) add, remove and uniform random pick (a dense array plus a
/// position map). The pick depends only on the sequence of operations and the caller's seeded
/// <see cref="Random"/>, never on hash order.
/// </summary>
internal sealed class RegionSet
{
    private readonly List<ulong> _ids = [];
    private readonly Dictionary<ulong, int> _positions = [];

    public int Count => _ids.Count;

    public bool Contains(ulong regionId) => _positions.ContainsKey(regionId);

    public void Add(ulong regionId)
    {
        if (_positions.TryAdd(regionId, _ids.Count))
        {
            _ids.Add(regionId);
        }
    }

    public void Remove(ulong regionId)
    {
        if (!_positions.Remove(regionId, out int at))
        {
            return;
        }

        int last = _ids.Count - 1;
        if (at != last)
        {
            ulong moved = _ids[last];
            _ids[at] = moved;
            _positions[moved] = at;
        }

        _ids.RemoveAt(last);
    }

    /// <summary>A uniformly chosen member, or null when empty.</summary>
    public ulong? Pick(Random random) => _ids.Count == 0 ? null : _ids[random.Next(_ids.Count)];

    /// <summary>The members in insertion-derived order (deterministic for a given history).</summary>
    public IReadOnlyList<ulong> Ids => _ids;
}
