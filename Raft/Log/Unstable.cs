using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.Log;

/// <summary>
/// Entries and a snapshot not yet written to stable storage (etcd/raft's unstable).
/// </summary>
/// <remarks>
/// Invariant: <c>Entries[i].Index == Offset + i</c>. When a snapshot is pending, Offset is its
/// index + 1 and the entries (if any) follow it.
/// </remarks>
internal sealed class Unstable
{
    public Snapshot? Snapshot { get; private set; }

    public List<Entry> Entries { get; } = [];

    public ulong Offset { get; private set; }

    public Unstable(ulong offset)
    {
        Offset = offset;
    }

    /// <summary>The first index, if a snapshot is pending (its index + 1).</summary>
    public bool TryFirstIndex(out ulong index)
    {
        index = Snapshot is null ? 0 : Snapshot.Metadata.Index + 1;
        return Snapshot is not null;
    }

    /// <summary>The last index, if there are unstable entries or a snapshot.</summary>
    public bool TryLastIndex(out ulong index)
    {
        if (Entries.Count != 0)
        {
            index = Offset + (ulong)Entries.Count - 1;
            return true;
        }

        index = Snapshot is null ? 0 : Snapshot.Metadata.Index;
        return Snapshot is not null;
    }

    /// <summary>The term of entry <paramref name="index"/>, if this buffer knows it.</summary>
    public bool TryTerm(ulong index, out ulong term)
    {
        term = 0;
        if (index < Offset)
        {
            if (Snapshot is not null && Snapshot.Metadata.Index == index)
            {
                term = Snapshot.Metadata.Term;
                return true;
            }

            return false;
        }

        if (!TryLastIndex(out ulong last) || index > last)
        {
            return false;
        }

        term = Entries[(int)(index - Offset)].Term;
        return true;
    }

    /// <summary>Entries up to (index, term) reached stable storage: drop them, unless the term shows they were replaced since.</summary>
    public void StableTo(ulong index, ulong term)
    {
        if (!TryTerm(index, out ulong t) || index < Offset)
        {
            return;
        }

        if (t == term)
        {
            Entries.RemoveRange(0, (int)(index + 1 - Offset));
            Offset = index + 1;
        }
    }

    public void StableSnapTo(ulong index)
    {
        if (Snapshot is not null && Snapshot.Metadata.Index == index)
        {
            Snapshot = null;
        }
    }

    public void Restore(Snapshot snapshot)
    {
        Offset = snapshot.Metadata.Index + 1;
        Entries.Clear();
        Snapshot = snapshot;
    }

    /// <summary>Appends entries, truncating whatever they overwrite (Raft §5.3: a conflicting suffix is replaced).</summary>
    public void TruncateAndAppend(IReadOnlyList<Entry> entries, int start)
    {
        ulong after = entries[start].Index;
        if (after == Offset + (ulong)Entries.Count)
        {
            // Directly after: append.
        }
        else if (after <= Offset)
        {
            // Replaces everything unstable; the log now continues from 'after'.
            Offset = after;
            Entries.Clear();
        }
        else
        {
            Entries.RemoveRange((int)(after - Offset), Entries.Count - (int)(after - Offset));
        }

        for (int i = start; i < entries.Count; i++)
        {
            Entries.Add(entries[i]);
        }
    }

    /// <summary>Copies entries [lo, hi) into <paramref name="into"/>.</summary>
    public void Slice(ulong lo, ulong hi, List<Entry> into)
    {
        if (lo > hi || lo < Offset || hi > Offset + (ulong)Entries.Count)
        {
            throw new RaftInvariantException("unstable-slice-in-bounds", $"unstable.slice[{lo},{hi}) out of bound [{Offset},{Offset + (ulong)Entries.Count}]");
        }

        for (ulong i = lo; i < hi; i++)
        {
            into.Add(Entries[(int)(i - Offset)]);
        }
    }
}
