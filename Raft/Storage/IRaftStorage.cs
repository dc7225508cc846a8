using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.Storage;

/// <summary>
/// The stable log a raft node reads from (etcd/raft's Storage). The application writes to it
/// while processing a <see cref="Ready"/>; raft only reads.
/// </summary>
/// <remarks>
/// Contract: indexes in [<see cref="FirstIndex"/>, <see cref="LastIndex"/>] are readable; the
/// entry at FirstIndex-1 (the compaction point, or the snapshot index) still answers
/// <see cref="Term"/>. Expected conditions are returned as <see cref="StorageError"/> values; an
/// exception from a storage means an I/O fault and stops the node.
/// </remarks>
public interface IRaftStorage
{
    /// <summary>The persisted HardState and ConfState, read once at start-up.</summary>
    RaftInitialState InitialState();

    /// <summary>
    /// Appends entries [lo, hi) to <paramref name="into"/>, stopping once their total size
    /// exceeds <paramref name="maxSize"/> but always returning at least one entry if any exist.
    /// </summary>
    /// <returns><see cref="StorageError.Compacted"/> when lo &lt;= the compaction point;
    /// <see cref="StorageError.Unavailable"/> when hi &gt; LastIndex + 1.</returns>
    StorageError Entries(ulong lo, ulong hi, ulong maxSize, List<Entry> into);

    /// <summary>The term of entry <paramref name="index"/>, for index in [FirstIndex-1, LastIndex].</summary>
    /// <returns><see cref="StorageError.Compacted"/> below FirstIndex-1; <see cref="StorageError.Unavailable"/> above LastIndex.</returns>
    StorageError Term(ulong index, out ulong term);

    /// <summary>The index of the first readable entry (older ones are compacted into a snapshot).</summary>
    ulong FirstIndex();

    /// <summary>The index of the last entry (FirstIndex - 1 when the log is empty).</summary>
    ulong LastIndex();

    /// <summary>The most recent snapshot, to send to a follower that needs compacted entries.</summary>
    /// <returns><see cref="StorageError.SnapshotTemporarilyUnavailable"/> while one is being generated.</returns>
    StorageError Snapshot(out Snapshot snapshot);
}
