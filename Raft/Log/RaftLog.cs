using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft.Log;

/// <summary>
/// A node's view of its log: the stable part in <see cref="IRaftStorage"/> followed by the
/// <see cref="Unstable"/> part (etcd/raft's raftLog).
/// </summary>
/// <remarks>
/// Invariants: <c>Applied &lt;= Committed &lt;= LastIndex()</c>; the unstable part starts at
/// <c>Unstable.Offset &lt;= storage.LastIndex() + 1</c>.
/// </remarks>
internal sealed class RaftLog
{
    private readonly IRaftStorage _storage;
    private readonly ulong _maxNextEntriesSize;

    public RaftLog(IRaftStorage storage, ulong maxNextEntriesSize = ulong.MaxValue)
    {
        _storage = storage;
        _maxNextEntriesSize = maxNextEntriesSize;
        ulong first = storage.FirstIndex();
        ulong last = storage.LastIndex();
        Unstable = new Unstable(last + 1);
        Committed = first - 1;
        Applied = first - 1;
    }

    public Unstable Unstable { get; }

    /// <summary>The highest index known to be committed (Raft §5.3).</summary>
    public ulong Committed { get; private set; }

    /// <summary>The highest index the application has applied. Invariant: Applied &lt;= Committed.</summary>
    public ulong Applied { get; private set; }

    public ulong FirstIndex() => Unstable.TryFirstIndex(out ulong i) ? i : _storage.FirstIndex();

    public ulong LastIndex() => Unstable.TryLastIndex(out ulong i) ? i : _storage.LastIndex();

    public ulong LastTerm()
    {
        var err = TryTerm(LastIndex(), out ulong t);
        if (err != StorageError.None)
        {
            throw new RaftInvariantException("last-term-readable", $"term of last index {LastIndex()}: {err}");
        }

        return t;
    }

    /// <summary>
    /// The term of entry <paramref name="index"/>. Outside [FirstIndex-1, LastIndex] the term is
    /// 0 with no error, as in etcd/raft; compacted or unavailable storage reads are returned.
    /// </summary>
    public StorageError TryTerm(ulong index, out ulong term)
    {
        term = 0;
        ulong dummy = FirstIndex() - 1;
        if (index < dummy || index > LastIndex())
        {
            return StorageError.None;
        }

        if (Unstable.TryTerm(index, out term))
        {
            return StorageError.None;
        }

        var err = _storage.Term(index, out term);
        return err switch
        {
            StorageError.None or StorageError.Compacted or StorageError.Unavailable => err,
            _ => throw new RaftInvariantException("storage-term-contract", $"storage.Term({index}) returned {err}"),
        };
    }

    /// <summary>The term of entry <paramref name="index"/>, or 0 when it is compacted.</summary>
    public ulong ZeroTermOnCompacted(ulong index)
    {
        var err = TryTerm(index, out ulong t);
        return err switch
        {
            StorageError.None => t,
            StorageError.Compacted => 0,
            _ => throw new RaftInvariantException("term-readable", $"term({index}): {err}"),
        };
    }

    public bool MatchTerm(ulong index, ulong term) => TryTerm(index, out ulong t) == StorageError.None && t == term;

    /// <summary>The election restriction (Raft §5.4.1): a candidate's log must be at least as up to date as ours.</summary>
    public bool IsUpToDate(ulong lastIndex, ulong term)
    {
        ulong ourTerm = LastTerm();
        return term > ourTerm || (term == ourTerm && lastIndex >= LastIndex());
    }

    /// <summary>
    /// The follower side of AppendEntries (Raft §5.3): if our log has (index, logTerm), append
    /// the entries after truncating any conflict, and commit min(committed, last new index).
    /// </summary>
    public bool MaybeAppend(ulong index, ulong logTerm, ulong committed, IReadOnlyList<Entry> entries, out ulong lastNewIndex)
    {
        lastNewIndex = 0;
        if (!MatchTerm(index, logTerm))
        {
            return false;
        }

        lastNewIndex = index + (ulong)entries.Count;
        ulong conflict = FindConflict(entries);
        if (conflict != 0)
        {
            if (conflict <= Committed)
            {
                throw new RaftInvariantException("committed-entries-never-overwritten", $"entry {conflict} conflicts with committed entry (committed {Committed})");
            }

            Append(entries, (int)(conflict - (index + 1)));
        }

        CommitTo(Math.Min(committed, lastNewIndex));
        return true;
    }

    /// <summary>Appends entries[start..] (a leader's own entries, or a follower's accepted ones) and returns the new last index.</summary>
    public ulong Append(IReadOnlyList<Entry> entries, int start = 0)
    {
        if (start >= entries.Count)
        {
            return LastIndex();
        }

        ulong after = entries[start].Index - 1;
        if (after < Committed)
        {
            throw new RaftInvariantException("committed-entries-never-overwritten", $"append after {after} is below committed {Committed}");
        }

        Unstable.TruncateAndAppend(entries, start);
        return LastIndex();
    }

    /// <summary>
    /// The index of the first entry that is new or conflicts (same index, different term) with
    /// our log, or 0 when every entry is already present.
    /// </summary>
    public ulong FindConflict(IReadOnlyList<Entry> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (!MatchTerm(e.Index, e.Term))
            {
                return e.Index;
            }
        }

        return 0;
    }

    /// <summary>
    /// Fast log backtracking (etcd/raft; Raft §5.3 optimisation): the largest index &lt;= index
    /// whose term is &lt;= term, so a rejected leader skips a whole term per round trip.
    /// </summary>
    public ulong FindConflictByTerm(ulong index, ulong term)
    {
        if (index > LastIndex())
        {
            return index;
        }

        while (true)
        {
            var err = TryTerm(index, out ulong t);
            if (t <= term || err != StorageError.None)
            {
                return index;
            }

            index--;
        }
    }

    /// <summary>Copies the unstable entries into <paramref name="into"/> (the caller keeps them past later appends).</summary>
    public void UnstableEntries(List<Entry> into) => into.AddRange(Unstable.Entries);

    public bool HasNextEntries()
    {
        ulong off = Math.Max(Applied + 1, FirstIndex());
        return Committed + 1 > off;
    }

    /// <summary>Copies the committed entries not yet applied into <paramref name="into"/>, bounded by the configured size.</summary>
    public void NextEntries(List<Entry> into)
    {
        ulong off = Math.Max(Applied + 1, FirstIndex());
        if (Committed + 1 <= off)
        {
            return;
        }

        int start = into.Count;
        var err = Slice(off, Committed + 1, _maxNextEntriesSize, into);
        if (err != StorageError.None)
        {
            into.RemoveRange(start, into.Count - start);
            throw new RaftInvariantException("unapplied-entries-readable", $"entries [{off},{Committed + 1}): {err}");
        }
    }

    public bool HasPendingSnapshot => Unstable.Snapshot is { Metadata.Index: > 0 };

    public StorageError Snapshot(out Snapshot snapshot)
    {
        if (Unstable.Snapshot is { } pending)
        {
            snapshot = pending;
            return StorageError.None;
        }

        return _storage.Snapshot(out snapshot);
    }

    public void CommitTo(ulong toCommit)
    {
        if (Committed < toCommit)
        {
            if (LastIndex() < toCommit)
            {
                throw new RaftInvariantException("commit-within-log", $"commit {toCommit} is out of range [lastIndex {LastIndex()}]");
            }

            Committed = toCommit;
        }
    }

    public void AppliedTo(ulong index)
    {
        if (index == 0)
        {
            return;
        }

        if (Committed < index || index < Applied)
        {
            throw new RaftInvariantException("applied-within-committed", $"applied {index} is out of range [prev applied {Applied}, committed {Committed}]");
        }

        Applied = index;
    }

    public void StableTo(ulong index, ulong term) => Unstable.StableTo(index, term);

    public void StableSnapTo(ulong index) => Unstable.StableSnapTo(index);

    /// <summary>Entries from <paramref name="index"/> to the end, up to <paramref name="maxSize"/> bytes.</summary>
    public StorageError Entries(ulong index, ulong maxSize, List<Entry> into)
    {
        if (index > LastIndex())
        {
            return StorageError.None;
        }

        return Slice(index, LastIndex() + 1, maxSize, into);
    }

    /// <summary>Every entry in the log (tests); retries if a compaction races the read.</summary>
    public List<Entry> AllEntries()
    {
        while (true)
        {
            var result = new List<Entry>();
            var err = Entries(FirstIndex(), ulong.MaxValue, result);
            if (err == StorageError.None)
            {
                return result;
            }

            if (err != StorageError.Compacted)
            {
                throw new RaftInvariantException("log-readable", err.ToString());
            }
        }
    }

    /// <summary>
    /// Commits maxIndex if it is from <paramref name="term"/>: a leader commits only entries of
    /// its own term by counting replicas (Raft §5.4.2).
    /// </summary>
    public bool MaybeCommit(ulong maxIndex, ulong term)
    {
        if (maxIndex > Committed && ZeroTermOnCompacted(maxIndex) == term)
        {
            CommitTo(maxIndex);
            return true;
        }

        return false;
    }

    public void Restore(Snapshot snapshot)
    {
        Committed = snapshot.Metadata.Index;
        Unstable.Restore(snapshot);
    }

    /// <summary>Entries [lo, hi), at most <paramref name="maxSize"/> bytes but at least one entry.</summary>
    public StorageError Slice(ulong lo, ulong hi, ulong maxSize, List<Entry> into)
    {
        if (lo > hi)
        {
            throw new RaftInvariantException("slice-bounds", $"invalid slice {lo} > {hi}");
        }

        ulong first = FirstIndex();
        if (lo < first)
        {
            return StorageError.Compacted;
        }

        if (hi > LastIndex() + 1)
        {
            throw new RaftInvariantException("slice-bounds", $"slice[{lo},{hi}) out of bound [{first},{LastIndex()}]");
        }

        if (lo == hi)
        {
            return StorageError.None;
        }

        int start = into.Count;
        if (lo < Unstable.Offset)
        {
            ulong storedHi = Math.Min(hi, Unstable.Offset);
            var err = _storage.Entries(lo, storedHi, maxSize, into);
            if (err == StorageError.Compacted)
            {
                return err;
            }

            if (err != StorageError.None)
            {
                throw new RaftInvariantException("stable-entries-readable", $"entries[{lo},{storedHi}) unavailable from storage: {err}");
            }

            if ((ulong)(into.Count - start) < storedHi - lo)
            {
                return StorageError.None;
            }
        }

        if (hi > Unstable.Offset)
        {
            Unstable.Slice(Math.Max(lo, Unstable.Offset), hi, into);
        }

        LimitSize(into, start, maxSize);
        return StorageError.None;
    }

    /// <summary>Truncates into[start..] to the longest prefix within maxSize bytes (at least one entry).</summary>
    internal static void LimitSize(List<Entry> into, int start, ulong maxSize)
    {
        if (maxSize == ulong.MaxValue || into.Count - start <= 1)
        {
            return;
        }

        ulong size = (ulong)into[start].CalculateSize();
        int keep = start + 1;
        for (; keep < into.Count; keep++)
        {
            size += (ulong)into[keep].CalculateSize();
            if (size > maxSize)
            {
                break;
            }
        }

        if (keep < into.Count)
        {
            into.RemoveRange(keep, into.Count - keep);
        }
    }

    /// <summary>Test hook: set Committed directly (TinyKV tests preload logs).</summary>
    internal void SetCommittedForTest(ulong committed) => Committed = committed;

    /// <summary>Test hook: set Applied directly.</summary>
    internal void SetAppliedForTest(ulong applied) => Applied = applied;

    public override string ToString() =>
        $"committed={Committed}, applied={Applied}, unstable.offset={Unstable.Offset}, len(unstable.Entries)={Unstable.Entries.Count}";
}
