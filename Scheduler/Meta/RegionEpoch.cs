namespace TinyKv.Scheduler.Meta;

/// <summary>
/// A region's epoch (metapb.RegionEpoch). <see cref="ConfVer"/> grows with every membership
/// change, <see cref="Version"/> with every split or merge. Both only grow, so a report carrying a
/// smaller value of either comes from an older incarnation of the region.
/// </summary>
public readonly record struct RegionEpoch(ulong ConfVer, ulong Version)
{
    /// <summary>True when this epoch is older than <paramref name="other"/> in either component.</summary>
    public bool IsStaleComparedTo(RegionEpoch other) => Version < other.Version || ConfVer < other.ConfVer;

    public override string ToString() => $"{{conf_ver: {ConfVer}, version: {Version}}}";
}
