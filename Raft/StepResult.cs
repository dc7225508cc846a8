namespace TinyKv.Raft;

/// <summary>
/// The outcome of stepping a message or a local request. These are expected conditions with
/// stable codes, not faults: the caller retries, redirects or reports them.
/// </summary>
public enum StepResult
{
    /// <summary>The message was accepted (it may still have been ignored as stale).</summary>
    Ok = 0,

    /// <summary>A proposal was dropped: no leader known, leadership transfer in progress, or this node was removed.</summary>
    ProposalDropped = 1,

    /// <summary>A message type that only the node itself may generate arrived through <c>Step</c>.</summary>
    StepLocalMessage = 2,

    /// <summary>A response came from a peer that is not in the current configuration.</summary>
    StepPeerNotFound = 3,
}
