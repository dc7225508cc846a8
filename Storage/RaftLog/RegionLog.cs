namespace TinyKv.Storage.RaftLog;

/// <summary>The raft log and state of one region, in memory. Not thread-safe: <see cref="RaftLogState"/> guards it.</summary>
internal sealed class RegionLog
{
    private readonly List<RaftEntry> _entries = [];

    /// <summary>Index of the first entry, or of the next entry when the log is empty.</summary>
    public ulong First { get; private set; } = 1;

    public ulong Last => First + (ulong)_entries.Count - 1;

    public int Count => _entries.Count;

    public RaftState? State { get; set; }

    /// <summary>Sum of <see cref="RaftEntry.Size"/> over the retained entries.</summary>
    public long Bytes { get; private set; }

    public IReadOnlyList<RaftEntry> Entries => _entries;

    public bool IsEmpty => _entries.Count == 0 && State is null;

    /// <summary>Appends after dropping the conflicting suffix. The caller validated the start.</summary>
    public void Append(IReadOnlyList<RaftEntry> entries)
    {
        ulong start = entries[0].Index;
        if (_entries.Count == 0)
        {
            First = start;
        }
        else
        {
            int keep = (int)(start - First);
            for (int i = keep; i < _entries.Count; i++)
            {
                Bytes -= _entries[i].Size;
            }

            _entries.RemoveRange(keep, _entries.Count - keep);
        }

        foreach (var e in entries)
        {
            _entries.Add(e);
            Bytes += e.Size;
        }
    }

    /// <summary>Drops entries below <paramref name="compactTo"/>; compacting past the end empties the log and moves First.</summary>
    public void Compact(ulong compactTo)
    {
        if (compactTo <= First)
        {
            return;
        }

        int drop = (int)Math.Min((ulong)_entries.Count, compactTo - First);
        for (int i = 0; i < drop; i++)
        {
            Bytes -= _entries[i].Size;
        }

        _entries.RemoveRange(0, drop);
        First = _entries.Count == 0 ? Math.Max(compactTo, First + (ulong)drop) : First + (ulong)drop;
    }

    public RaftEntry? Get(ulong index) => index >= First && index <= Last && _entries.Count > 0 ? _entries[(int)(index - First)] : null;
}
