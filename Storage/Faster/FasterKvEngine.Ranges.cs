using TinyKv.Storage.Index;

namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    /// <inheritdoc />
    /// <remarks>Exact at a snapshot of now: the sum of key and value lengths of visible versions in the data column families.</remarks>
    public long ApproximateSize(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey)
    {
        ThrowIfDisposed();
        using var snapshot = Snapshot();
        long size = 0;
        foreach (var cf in ColumnFamilies.Data)
        {
            var index = Index(cf);
            for (var e = index.SeekGreaterOrEqual(startKey); e is not null && Before(e.Key, endKey); e = index.Next(e))
            {
                if (e.Visible(snapshot.Sequence) is { IsTombstone: false } v)
                {
                    size += e.Key.Length + v.Length;
                }
            }
        }

        return size;
    }

    /// <inheritdoc />
    /// <remarks>Merges the data column families in key order and returns the first key at which the running size reaches half the total.</remarks>
    public byte[]? SplitKey(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey)
    {
        ThrowIfDisposed();
        using var snapshot = Snapshot();
        long total = ApproximateSize(startKey, endKey);
        if (total == 0)
        {
            return null;
        }

        var cursors = new MvccEntry?[ColumnFamilies.Data.Count];
        for (int i = 0; i < cursors.Length; i++)
        {
            var index = Index(ColumnFamilies.Data[i]);
            cursors[i] = Visible(index, index.SeekGreaterOrEqual(startKey), snapshot.Sequence);
        }

        long running = 0;
        while (true)
        {
            int min = -1;
            for (int i = 0; i < cursors.Length; i++)
            {
                if (cursors[i] is { } c && Before(c.Key, endKey) && (min < 0 || c.Key.SequenceCompareTo(cursors[min]!.Key) < 0))
                {
                    min = i;
                }
            }

            if (min < 0)
            {
                return null;
            }

            var entry = cursors[min]!;
            var cfIndex = Index(ColumnFamilies.Data[min]);
            running += entry.Key.Length + entry.Visible(snapshot.Sequence)!.Length;
            if (running * 2 >= total)
            {
                return entry.Key.SequenceCompareTo(startKey) > 0 ? entry.Key.ToArray() : null;
            }

            cursors[min] = Visible(cfIndex, cfIndex.Next(entry), snapshot.Sequence);
        }
    }

    /// <summary>The first entry from <paramref name="entry"/> on with a live version at <paramref name="sequence"/>.</summary>
    private static MvccEntry? Visible(IOrderedIndex index, MvccEntry? entry, ulong sequence)
    {
        while (entry is not null && entry.Visible(sequence) is null or { IsTombstone: true })
        {
            entry = index.Next(entry);
        }

        return entry;
    }

    /// <summary>True when <paramref name="key"/> is below <paramref name="end"/>; an empty end is unbounded.</summary>
    private static bool Before(ReadOnlySpan<byte> key, ReadOnlySpan<byte> end) => end.IsEmpty || key.SequenceCompareTo(end) < 0;
}
