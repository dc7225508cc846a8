namespace TinyKv.Storage;

/// <summary>
/// One raft log entry as the raft-log engine stores it: its index, its term and the opaque bytes
/// of the entry (Storage does not know TinyKv.Raft's types; the raftstore encodes them).
/// </summary>
public readonly record struct RaftEntry(ulong Index, ulong Term, byte[] Data)
{
    /// <summary>Bytes the entry counts against a fetch budget.</summary>
    public long Size => Data.Length + 16;
}

/// <summary>The raft state a region persists besides its log (etcd's HardState).</summary>
public readonly record struct RaftState(ulong Term, ulong Vote, ulong Commit);

/// <summary>Outcome of reading a range of a region's raft log.</summary>
public enum RaftLogFetch
{
    /// <summary>Entries were returned.</summary>
    Ok = 0,

    /// <summary>The range starts before the first retained index: those entries were compacted.</summary>
    Compacted = 1,

    /// <summary>The range reaches past the last index.</summary>
    Unavailable = 2,
}
