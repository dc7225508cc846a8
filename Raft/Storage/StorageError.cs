namespace TinyKv.Raft.Storage;

/// <summary>The documented outcomes of <see cref="IRaftStorage"/> reads and writes.</summary>
public enum StorageError
{
    None = 0,

    /// <summary>The requested index is at or below the compaction point: the entries live only in a snapshot.</summary>
    Compacted = 1,

    /// <summary>The requested index is past the last index the storage holds.</summary>
    Unavailable = 2,

    /// <summary>A snapshot at or above the requested index already exists.</summary>
    SnapshotOutOfDate = 3,

    /// <summary>The snapshot is being generated; the leader retries on a later round.</summary>
    SnapshotTemporarilyUnavailable = 4,
}
