namespace TinyKv.Raft;

/// <summary>
/// A broken raft invariant: the state machine cannot continue safely (etcd/raft panics here).
/// Expected outcomes such as a dropped proposal are never reported with this exception.
/// </summary>
public sealed class RaftInvariantException : Exception
{
    public RaftInvariantException(string invariant, string detail)
        : base($"raft invariant '{invariant}' violated: {detail}")
    {
        Invariant = invariant;
    }

    /// <summary>The short name of the invariant, stable for tests and alerts (e.g. "commit-within-log").</summary>
    public string Invariant { get; }
}
