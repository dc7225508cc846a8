namespace TinyKv.Scheduler.Regions;

/// <summary>
/// The regions with a peer on one store, by role, and their size aggregates: what the store's
/// region/leader counts and sizes are derived from, and where schedulers pick regions to move.
/// </summary>
internal sealed class StoreRegions
{
    public RegionSet Leaders { get; } = new();

    /// <summary>Voters that are not the leader.</summary>
    public RegionSet Followers { get; } = new();

    public RegionSet Learners { get; } = new();

    /// <summary>Regions whose peer on this store is pending (any role).</summary>
    public RegionSet Pending { get; } = new();

    public long RegionSize { get; set; }

    public long LeaderSize { get; set; }

    public int RegionCount => Leaders.Count + Followers.Count + Learners.Count;

    public bool IsEmpty => RegionCount == 0 && Pending.Count == 0;

    /// <summary>Set when the aggregates changed since the owner last drained the changed stores.</summary>
    public bool Changed { get; set; }
}
