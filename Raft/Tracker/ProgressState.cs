namespace TinyKv.Raft.Tracker;

/// <summary>How the leader replicates to one follower (etcd/raft tracker, design doc "Progress").</summary>
public enum ProgressState
{
    /// <summary>At most one append in flight until the follower answers: the leader is still finding the match point.</summary>
    Probe = 0,

    /// <summary>Optimistic pipelining: Next advances as appends are sent, bounded by the inflight window.</summary>
    Replicate = 1,

    /// <summary>A snapshot is in flight; appends pause until it is applied or reported failed.</summary>
    Snapshot = 2,
}
