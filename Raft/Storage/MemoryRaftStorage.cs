using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.Storage;

/// <summary>
/// An in-memory <see cref="IRaftStorage"/> (etcd/raft's MemoryStorage), the reference
/// implementation and the storage of tests and benchmarks.
/// </summary>
/// <remarks>
/// Invariant: <c>_entries[0]</c> is a dummy entry whose Index and Term are those of the last
/// compaction point (or snapshot), so <c>_entries[i].Index == _entries[0].Index + i</c>.
/// Readers and the single writer may be on different threads, hence the lock.
/// </remarks>
public sealed class MemoryRaftStorage : IRaftStorage
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [new Entry()];
    private readonly HardState _hardState = new();
    private Snapshot _snapshot = new() { Metadata = new SnapshotMetadata { ConfState = new ConfState() } };

    /// <summary>An empty storage; with <paramref name="confState"/> a bootstrapped one whose initial configuration is that set of peers.</summary>
    public MemoryRaftStorage(ConfState? confState = null)
    {
        if (confState is not null)
        {
            _snapshot.Metadata.ConfState = confState.Clone();
        }
    }

    public RaftInitialState InitialState()
    {
        lock (_lock)
        {
            return new RaftInitialState(_hardState.Clone(), _snapshot.Metadata.ConfState.Clone());
        }
    }

    /// <summary>Persists the HardState (part of processing a Ready).</summary>
    public void SetHardState(HardState hardState)
    {
        ArgumentNullException.ThrowIfNull(hardState);
        lock (_lock)
        {
            // Copied field by field: the caller may reuse its object (a Ready's HardState is).
            _hardState.Term = hardState.Term;
            _hardState.Vote = hardState.Vote;
            _hardState.Commit = hardState.Commit;
        }
    }

    public StorageError Entries(ulong lo, ulong hi, ulong maxSize, List<Entry> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_lock)
        {
            ulong offset = _entries[0].Index;
            if (lo <= offset)
            {
                return StorageError.Compacted;
            }

            if (hi > LastIndexLocked() + 1)
            {
                return StorageError.Unavailable;
            }

            if (_entries.Count == 1)
            {
                return StorageError.Unavailable;
            }

            ulong size = 0;
            for (ulong i = lo; i < hi; i++)
            {
                var e = _entries[(int)(i - offset)];
                if (maxSize != ulong.MaxValue)
                {
                    size += (ulong)e.CalculateSize();
                    if (size > maxSize && i > lo)
                    {
                        break;
                    }
                }

                into.Add(e);
            }

            return StorageError.None;
        }
    }

    public StorageError Term(ulong index, out ulong term)
    {
        lock (_lock)
        {
            ulong offset = _entries[0].Index;
            term = 0;
            if (index < offset)
            {
                return StorageError.Compacted;
            }

            if (index - offset >= (ulong)_entries.Count)
            {
                return StorageError.Unavailable;
            }

            term = _entries[(int)(index - offset)].Term;
            return StorageError.None;
        }
    }

    public ulong FirstIndex()
    {
        lock (_lock)
        {
            return _entries[0].Index + 1;
        }
    }

    public ulong LastIndex()
    {
        lock (_lock)
        {
            return LastIndexLocked();
        }
    }

    public StorageError Snapshot(out Snapshot snapshot)
    {
        lock (_lock)
        {
            snapshot = _snapshot;
            return StorageError.None;
        }
    }

    /// <summary>
    /// Replaces the storage with a snapshot's state: the log becomes a dummy entry at the
    /// snapshot's (Index, Term).
    /// </summary>
    /// <returns><see cref="StorageError.SnapshotOutOfDate"/> when the snapshot is older than the current one.</returns>
    public StorageError ApplySnapshot(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            if (_snapshot.Metadata.Index >= snapshot.Metadata.Index)
            {
                return StorageError.SnapshotOutOfDate;
            }

            _snapshot = snapshot;
            _entries.Clear();
            _entries.Add(new Entry { Term = snapshot.Metadata.Term, Index = snapshot.Metadata.Index });
            return StorageError.None;
        }
    }

    /// <summary>
    /// Records a snapshot of the applied state at <paramref name="index"/> (which must be
    /// stored) with the configuration and data given; does not compact the log.
    /// </summary>
    /// <returns><see cref="StorageError.SnapshotOutOfDate"/> when index is not past the current snapshot.</returns>
    /// <exception cref="ArgumentOutOfRangeException">index is past the last stored entry.</exception>
    public StorageError CreateSnapshot(ulong index, ConfState? confState, ReadOnlySpan<byte> data, out Snapshot snapshot)
    {
        lock (_lock)
        {
            snapshot = _snapshot;
            if (index <= _snapshot.Metadata.Index)
            {
                return StorageError.SnapshotOutOfDate;
            }

            ulong offset = _entries[0].Index;
            if (index > LastIndexLocked())
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"snapshot index is past the last stored entry {LastIndexLocked()}");
            }

            var metadata = new SnapshotMetadata
            {
                Index = index,
                Term = _entries[(int)(index - offset)].Term,
                ConfState = (confState ?? _snapshot.Metadata.ConfState).Clone(),
            };
            _snapshot = new Snapshot { Metadata = metadata, Data = Google.Protobuf.ByteString.CopyFrom(data) };
            snapshot = _snapshot;
            return StorageError.None;
        }
    }

    /// <summary>Discards the entries before <paramref name="compactIndex"/>, which becomes the new dummy entry.</summary>
    /// <returns><see cref="StorageError.Compacted"/> when already compacted up to that index.</returns>
    /// <exception cref="ArgumentOutOfRangeException">compactIndex is past the last stored entry.</exception>
    public StorageError Compact(ulong compactIndex)
    {
        lock (_lock)
        {
            ulong offset = _entries[0].Index;
            if (compactIndex <= offset)
            {
                return StorageError.Compacted;
            }

            if (compactIndex > LastIndexLocked())
            {
                throw new ArgumentOutOfRangeException(nameof(compactIndex), compactIndex, $"compact index is past the last stored entry {LastIndexLocked()}");
            }

            int i = (int)(compactIndex - offset);
            var dummy = new Entry { Index = _entries[i].Index, Term = _entries[i].Term };
            _entries.RemoveRange(0, i + 1);
            _entries.Insert(0, dummy);
            return StorageError.None;
        }
    }

    /// <summary>
    /// Appends entries, truncating any stored suffix they conflict with (entries at or after
    /// their first index). Entries already compacted are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">The entries leave a gap after the last stored entry.</exception>
    public void Append(IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            ulong first = _entries[0].Index + 1;
            ulong last = entries[^1].Index;
            if (last < first)
            {
                return;
            }

            int skip = entries[0].Index < first ? (int)(first - entries[0].Index) : 0;
            ulong start = entries[skip].Index;
            ulong offset = start - _entries[0].Index;
            if ((ulong)_entries.Count > offset)
            {
                _entries.RemoveRange((int)offset, _entries.Count - (int)offset);
            }
            else if ((ulong)_entries.Count < offset)
            {
                throw new ArgumentException($"missing log entries: last stored {LastIndexLocked()}, appending from {start}", nameof(entries));
            }

            for (int i = skip; i < entries.Count; i++)
            {
                _entries.Add(entries[i]);
            }
        }
    }

    /// <summary>The stored entries including the dummy at position 0 (tests only).</summary>
    internal IReadOnlyList<Entry> AllEntriesWithDummy()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    /// <summary>Replaces the stored entries with <paramref name="entriesWithDummy"/>, whose element 0 is the dummy (tests only).</summary>
    internal void ResetEntries(IReadOnlyList<Entry> entriesWithDummy)
    {
        lock (_lock)
        {
            _entries.Clear();
            _entries.AddRange(entriesWithDummy);
        }
    }

    private ulong LastIndexLocked() => _entries[0].Index + (ulong)_entries.Count - 1;
}
