namespace TinyKv.Raft;

/// <summary>How the leader confirms it is still leader before serving a ReadIndex (Raft thesis §6.4).</summary>
public enum ReadOnlyOption
{
    /// <summary>Confirm with a round of heartbeats acknowledged by a quorum (§6.4, linearizable without clock assumptions).</summary>
    Safe = 0,

    /// <summary>
    /// Trust the leader lease (§6.4.1): no heartbeat round. Linearizable only if clock drift is
    /// bounded; requires CheckQuorum so a leader that lost its quorum steps down.
    /// </summary>
    LeaseBased = 1,
}
