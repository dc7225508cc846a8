namespace TinyKv.Storage.RaftLog;

/// <summary>The raft log and state of one region, in memory. Not thread-safe: <see cref="RaftLogState"/> guards it.</summary>
/// <remarks>
/// Entries live in fixed chunks of <see cref="ChunkSize"/> slots, the first entry at
/// <see cref="_offset"/> of the first chunk: an append never copies the log (a growing list copies
/// all of it at every doubling, and a long log's array lands on the large object heap, whose
/// allocations drive full collections), and a compaction drops whole chunks instead of moving the
/// retained entries down. Dropped slots are cleared so their payloads can be collected.
/// </remarks>
internal sealed class RegionLog
{
    private const int ChunkBits = 6;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly List<RaftEntry[]> _chunks = [];
    private int _offset;
    private int _count;

    /// <summary>Index of the first entry, or of the next entry when the log is empty.</summary>
    public ulong First { get; private set; } = 1;

    public ulong Last => First + (ulong)_count - 1;

    public int Count => _count;

    public RaftState? State { get; set; }

    /// <summary>Sum of <see cref="RaftEntry.Size"/> over the retained entries.</summary>
    public long Bytes { get; private set; }

    public bool IsEmpty => _count == 0 && State is null;

    /// <summary>Appends after dropping the conflicting suffix. The caller validated the start.</summary>
    public void Append(IReadOnlyList<RaftEntry> entries)
    {
        ulong start = entries[0].Index;
        if (_count == 0)
        {
            First = start;
        }
        else
        {
            Truncate((int)(start - First));
        }

        for (int i = 0; i < entries.Count; i++)
        {
            int position = _offset + _count;
            if (position >> ChunkBits == _chunks.Count)
            {
                _chunks.Add(new RaftEntry[ChunkSize]);
            }

            _chunks[position >> ChunkBits][position & (ChunkSize - 1)] = entries[i];
            _count++;
            Bytes += entries[i].Size;
        }
    }

    /// <summary>Drops entries below <paramref name="compactTo"/>; compacting past the end empties the log and moves First.</summary>
    public void Compact(ulong compactTo)
    {
        if (compactTo <= First)
        {
            return;
        }

        int drop = (int)Math.Min((ulong)_count, compactTo - First);
        for (int i = 0; i < drop; i++)
        {
            ref var slot = ref Slot(i);
            Bytes -= slot.Size;
            slot = default;
        }

        _offset += drop;
        _count -= drop;
        First = _count == 0 ? Math.Max(compactTo, First + (ulong)drop) : First + (ulong)drop;
        if (_count == 0)
        {
            KeepFirstChunkOnly();
        }
        else if (_offset >= ChunkSize)
        {
            _chunks.RemoveRange(0, _offset >> ChunkBits);
            _offset &= ChunkSize - 1;
        }
    }

    public RaftEntry? Get(ulong index) => index >= First && index <= Last && _count > 0 ? Slot((int)(index - First)) : null;

    /// <summary>The retained entries in index order, copied (a rewrite writes them out).</summary>
    public RaftEntry[] ToArray()
    {
        var entries = new RaftEntry[_count];
        for (int i = 0; i < _count; i++)
        {
            entries[i] = Slot(i);
        }

        return entries;
    }

    private ref RaftEntry Slot(int i)
    {
        int position = _offset + i;
        return ref _chunks[position >> ChunkBits][position & (ChunkSize - 1)];
    }

    /// <summary>Keeps the first <paramref name="keep"/> entries.</summary>
    private void Truncate(int keep)
    {
        for (int i = keep; i < _count; i++)
        {
            ref var slot = ref Slot(i);
            Bytes -= slot.Size;
            slot = default;
        }

        _count = keep;
        if (_count == 0)
        {
            KeepFirstChunkOnly();
            return;
        }

        int chunks = ((_offset + _count - 1) >> ChunkBits) + 1;
        _chunks.RemoveRange(chunks, _chunks.Count - chunks);
    }

    /// <summary>An empty log keeps one (cleared) chunk for its next append.</summary>
    private void KeepFirstChunkOnly()
    {
        _offset = 0;
        if (_chunks.Count > 1)
        {
            _chunks.RemoveRange(1, _chunks.Count - 1);
        }
    }
}
