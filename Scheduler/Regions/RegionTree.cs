using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Regions;

/// <summary>
/// The key space as a set of non-overlapping regions ordered by start key: key → region lookup,
/// overlap queries, neighbours and ordered iteration (PD's regionTree).
/// </summary>
/// <remarks>
/// Shape: a two-level sorted chunk list, a B+-tree of height two. Regions sit in sorted chunks of
/// at most <see cref="MaxChunk"/> entries; a parallel array holds each chunk's first start key, so a
/// lookup is one binary search over contiguous chunk keys and one inside a chunk, with no
/// pointer chasing per comparison (a red-black tree pays a node hop and a comparer call per level).
/// Inserts and removes move at most one chunk's entries and, on a split or merge, one slot of the
/// chunk arrays — cheap for the region counts a cluster has (10⁵–10⁶ regions → 10³–10⁴ chunks).
/// Invariant: regions never overlap (so ids are unique in the tree); chunks are non-empty and
/// sorted, and so are chunk first keys; each slot's key equals its region's start key.
/// Not thread-safe: the owning cluster state serialises access.
/// </remarks>
public sealed partial class RegionTree
{
    /// <summary>Entries per chunk before it splits in two.</summary>
    internal const int MaxChunk = 128;

    private readonly Dictionary<ulong, Slot> _byId = [];
    private Chunk[] _chunks = new Chunk[16];
    private byte[][] _firstKeys = new byte[16][];
    private int _chunkCount;

    /// <summary>Number of regions in the tree.</summary>
    public int Count => _byId.Count;

    /// <summary>The region with id <paramref name="regionId"/>, or null.</summary>
    public RegionInfo? Get(ulong regionId) => _byId.TryGetValue(regionId, out var slot) ? slot.Region : null;

    /// <summary>The region whose range contains <paramref name="key"/>, or null (a hole).</summary>
    public RegionInfo? Find(ReadOnlySpan<byte> key)
    {
        int ci = FloorChunk(key);
        if (ci < 0)
        {
            return null;
        }

        var chunk = _chunks[ci];
        int pi = chunk.Floor(key);
        var region = chunk.Items[pi].Region;
        return region.EndKey.Length == 0 || key.SequenceCompareTo(region.EndKey) < 0 ? region : null;
    }

    /// <summary>
    /// Puts <paramref name="region"/> in the tree. An older version of the same id is removed
    /// first (not reported); then every other region whose range overlaps it is removed and appended
    /// to <paramref name="overlapped"/> in key order when it is given.
    /// </summary>
    public void Put(RegionInfo region, List<RegionInfo>? overlapped = null)
    {
        if (_byId.TryGetValue(region.Id, out var older))
        {
            Remove(older.Region);
        }

        var (ci, pi) = FirstOverlap(region.StartKey);
        while (ci < _chunkCount)
        {
            var chunk = _chunks[ci];
            if (pi >= chunk.Count)
            {
                ci++;
                pi = 0;
                continue;
            }

            var existing = chunk.Items[pi].Region;
            if (region.EndKey.Length != 0 && existing.StartKey.AsSpan().SequenceCompareTo(region.EndKey) >= 0)
            {
                break;
            }

            overlapped?.Add(existing);
            RemoveAt(ci, pi);
            (ci, pi) = FirstOverlap(region.StartKey);
        }

        Insert(region);
    }

    /// <summary>
    /// Replaces the region with <paramref name="region"/>'s id by <paramref name="region"/>, which
    /// must cover exactly the same range (a heartbeat that changed no keys): O(1), no key search.
    /// Returns false if the id is absent or its range differs.
    /// </summary>
    public bool ReplaceSameRange(RegionInfo region)
    {
        if (!_byId.TryGetValue(region.Id, out var slot) || !slot.Region.SameRange(region))
        {
            return false;
        }

        slot.Region = region;
        return true;
    }

    /// <summary>Removes the entry for <paramref name="region"/> (matched by start key and id). Returns false if absent.</summary>
    public bool Remove(RegionInfo region)
    {
        int ci = FloorChunk(region.StartKey);
        if (ci < 0)
        {
            return false;
        }

        int pi = _chunks[ci].Floor(region.StartKey);
        var existing = _chunks[ci].Items[pi].Region;
        if (existing.Id != region.Id || !existing.StartKey.AsSpan().SequenceEqual(region.StartKey))
        {
            return false;
        }

        RemoveAt(ci, pi);
        return true;
    }

    /// <summary>Index of the last chunk whose first key is ≤ <paramref name="key"/>, or -1.</summary>
    private int FloorChunk(ReadOnlySpan<byte> key)
    {
        int lo = 0;
        int hi = _chunkCount - 1;
        int found = -1;
        var firstKeys = _firstKeys;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (firstKeys[mid].AsSpan().SequenceCompareTo(key) <= 0)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    /// <summary>Position of the first region that may overlap a range starting at <paramref name="start"/>.</summary>
    private (int Chunk, int Index) FirstOverlap(ReadOnlySpan<byte> start)
    {
        int ci = FloorChunk(start);
        if (ci < 0)
        {
            return (0, 0);
        }

        int pi = _chunks[ci].Floor(start);
        var region = _chunks[ci].Items[pi].Region;
        bool coversStart = region.EndKey.Length == 0 || start.SequenceCompareTo(region.EndKey) < 0;
        return coversStart ? (ci, pi) : Advance(ci, pi);
    }

    private (int Chunk, int Index) Advance(int ci, int pi) =>
        pi + 1 < _chunks[ci].Count ? (ci, pi + 1) : (ci + 1, 0);

    private void Insert(RegionInfo region)
    {
        var slot = new Slot(region);
        _byId.Add(region.Id, slot);
        if (_chunkCount == 0)
        {
            var first = new Chunk();
            first.InsertAt(0, slot);
            InsertChunk(0, first);
            return;
        }

        int ci = Math.Max(FloorChunk(region.StartKey), 0);
        var chunk = _chunks[ci];
        int pi = chunk.Floor(region.StartKey) + 1;
        chunk.InsertAt(pi, slot);
        if (pi == 0)
        {
            _firstKeys[ci] = region.StartKey;
        }

        if (chunk.Count > MaxChunk)
        {
            InsertChunk(ci + 1, chunk.SplitUpperHalf());
        }
    }

    private void RemoveAt(int ci, int pi)
    {
        var chunk = _chunks[ci];
        _byId.Remove(chunk.Items[pi].Region.Id);
        chunk.RemoveAt(pi);
        if (chunk.Count == 0)
        {
            RemoveChunk(ci);
            return;
        }

        if (pi == 0)
        {
            _firstKeys[ci] = chunk.Keys[0];
        }

        if (chunk.Count >= MaxChunk / 4)
        {
            return;
        }

        if (ci + 1 < _chunkCount && chunk.Count + _chunks[ci + 1].Count <= MaxChunk)
        {
            chunk.Append(_chunks[ci + 1]);
            RemoveChunk(ci + 1);
        }
        else if (ci > 0 && _chunks[ci - 1].Count + chunk.Count <= MaxChunk)
        {
            _chunks[ci - 1].Append(chunk);
            RemoveChunk(ci);
        }
    }

    private void InsertChunk(int at, Chunk chunk)
    {
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
            Array.Resize(ref _firstKeys, _firstKeys.Length * 2);
        }

        Array.Copy(_chunks, at, _chunks, at + 1, _chunkCount - at);
        Array.Copy(_firstKeys, at, _firstKeys, at + 1, _chunkCount - at);
        _chunks[at] = chunk;
        _firstKeys[at] = chunk.Keys[0];
        _chunkCount++;
    }

    private void RemoveChunk(int at)
    {
        _chunkCount--;
        Array.Copy(_chunks, at + 1, _chunks, at, _chunkCount - at);
        Array.Copy(_firstKeys, at + 1, _firstKeys, at, _chunkCount - at);
        _chunks[_chunkCount] = null!;
        _firstKeys[_chunkCount] = null!;
    }
}
