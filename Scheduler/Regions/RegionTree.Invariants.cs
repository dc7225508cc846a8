namespace TinyKv.Scheduler.Regions;

public sealed partial class RegionTree
{
    /// <summary>
    /// Verifies the structural invariants (for tests): chunks non-empty and within size, keys sorted
    /// within and across chunks, first keys and slot keys matching their regions, regions not
    /// overlapping, the id map complete. Throws <see cref="InvalidOperationException"/> naming the first breach.
    /// </summary>
    internal void CheckInvariants()
    {
        int total = 0;
        byte[]? previousEnd = null;
        for (int ci = 0; ci < _chunkCount; ci++)
        {
            var chunk = _chunks[ci];
            Require(chunk.Count is > 0 and <= MaxChunk, $"chunk {ci} holds {chunk.Count} regions");
            Require(ReferenceEquals(_firstKeys[ci], chunk.Keys[0]), $"chunk {ci} first key is stale");
            for (int pi = 0; pi < chunk.Count; pi++)
            {
                var region = chunk.Items[pi].Region;
                Require(ReferenceEquals(chunk.Keys[pi], region.StartKey), $"slot key of region {region.Id} is stale");
                Require(previousEnd is null || (previousEnd.Length != 0 && previousEnd.AsSpan().SequenceCompareTo(region.StartKey) <= 0), $"region {region.Id} overlaps or precedes its predecessor");
                Require(_byId.TryGetValue(region.Id, out var slot) && ReferenceEquals(slot, chunk.Items[pi]), $"region {region.Id} missing from the id map");
                previousEnd = region.EndKey;
                total++;
            }
        }

        Require(total == _byId.Count, $"id map holds {_byId.Count} regions, chunks {total}");
    }

    private static void Require(bool condition, string breach)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"region tree invariant broken: {breach}");
        }
    }
}
