using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Tracker;

namespace TinyKv.Raft;

/// <summary>A snapshot of a node's state for monitoring and admin (etcd/raft's Status).</summary>
/// <param name="Progress">Per-peer replication progress, by id; only on the leader, else empty.</param>
public sealed record Status(
    ulong Id,
    HardState HardState,
    SoftState SoftState,
    ulong Applied,
    ulong LeadTransferee,
    IReadOnlyDictionary<ulong, ProgressStatus> Progress);

/// <summary>An immutable copy of one peer's <see cref="Tracker.Progress"/>.</summary>
public sealed record ProgressStatus(ulong Match, ulong Next, ProgressState State, bool IsLearner, bool RecentActive, ulong PendingSnapshot);
