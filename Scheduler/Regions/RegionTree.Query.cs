using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Regions;

public sealed partial class RegionTree
{
    /// <summary>
    /// Appends to <paramref name="into"/>, in key order, every region overlapping
    /// [<paramref name="start"/>, <paramref name="end"/>) (an empty end is plus infinity).
    /// </summary>
    public void Overlaps(ReadOnlySpan<byte> start, ReadOnlySpan<byte> end, List<RegionInfo> into)
    {
        var (ci, pi) = FirstOverlap(start);
        while (ci < _chunkCount)
        {
            var chunk = _chunks[ci];
            for (; pi < chunk.Count; pi++)
            {
                var region = chunk.Items[pi].Region;
                if (end.Length != 0 && region.StartKey.AsSpan().SequenceCompareTo(end) >= 0)
                {
                    return;
                }

                into.Add(region);
            }

            ci++;
            pi = 0;
        }
    }

    /// <summary>The region just before <paramref name="region"/> in key order, or null.</summary>
    public RegionInfo? Previous(RegionInfo region)
    {
        if (!TryLocate(region, out int ci, out int pi))
        {
            return null;
        }

        if (pi > 0)
        {
            return _chunks[ci].Items[pi - 1].Region;
        }

        return ci > 0 ? _chunks[ci - 1].Items[_chunks[ci - 1].Count - 1].Region : null;
    }

    /// <summary>The region just after <paramref name="region"/> in key order, or null.</summary>
    public RegionInfo? Next(RegionInfo region)
    {
        if (!TryLocate(region, out int ci, out int pi))
        {
            return null;
        }

        (ci, pi) = Advance(ci, pi);
        return ci < _chunkCount ? _chunks[ci].Items[pi].Region : null;
    }

    /// <summary>
    /// Appends up to <paramref name="limit"/> regions in key order, starting with the one that
    /// contains <paramref name="start"/> (or the first after it).
    /// </summary>
    public void Scan(ReadOnlySpan<byte> start, int limit, List<RegionInfo> into)
    {
        var (ci, pi) = FirstOverlap(start);
        int added = 0;
        while (ci < _chunkCount && added < limit)
        {
            var chunk = _chunks[ci];
            for (; pi < chunk.Count && added < limit; pi++)
            {
                into.Add(chunk.Items[pi].Region);
                added++;
            }

            ci++;
            pi = 0;
        }
    }

    /// <summary>Every region in key order.</summary>
    public IEnumerable<RegionInfo> InOrder()
    {
        for (int ci = 0; ci < _chunkCount; ci++)
        {
            var chunk = _chunks[ci];
            for (int pi = 0; pi < chunk.Count; pi++)
            {
                yield return chunk.Items[pi].Region;
            }
        }
    }

    private bool TryLocate(RegionInfo region, out int ci, out int pi)
    {
        ci = FloorChunk(region.StartKey);
        pi = ci < 0 ? -1 : _chunks[ci].Floor(region.StartKey);
        return ci >= 0 && _chunks[ci].Items[pi].Region.Id == region.Id
            && _chunks[ci].Keys[pi].AsSpan().SequenceEqual(region.StartKey);
    }
}
