namespace TinyKv.Scheduler;

/// <summary>
/// Expected outcomes of scheduler requests, with stable numeric codes the wire and clients switch on.
/// </summary>
public enum SchedulerError
{
    None = 0,

    /// <summary>The cluster has not been bootstrapped yet.</summary>
    NotBootstrapped = 1,

    /// <summary>Bootstrap was called on a bootstrapped cluster.</summary>
    AlreadyBootstrapped = 2,

    /// <summary>The heartbeat's epoch is older than the known region or an overlapping one.</summary>
    StaleRegion = 3,

    /// <summary>The request names a store the cluster does not know.</summary>
    StoreNotFound = 4,

    /// <summary>The store is a tombstone: it was removed and may not come back.</summary>
    StoreTombstoned = 5,

    /// <summary>The request is malformed (no peers, leader not a peer, bad key range, duplicate store...).</summary>
    InvalidRequest = 6,

    /// <summary>The request names a region the cluster does not know.</summary>
    RegionNotFound = 7,
}
