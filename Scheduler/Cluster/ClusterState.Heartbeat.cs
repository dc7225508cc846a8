using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Cluster;

public sealed partial class ClusterState
{
    private readonly List<RegionInfo> _overlaps = [];

    /// <summary>
    /// Applies a region heartbeat (TinyKV's processRegionHeartbeat, PD's CheckAndPutRegion).
    /// </summary>
    /// <remarks>
    /// Rules, in order:
    /// <list type="number">
    /// <item>Malformed reports (id 0, no peers, two peers on one store or with one id, a leader that is not a peer, start ≥ end) are rejected with <see cref="SchedulerError.InvalidRequest"/>.</item>
    /// <item>If the region is known by id and the report's epoch is stale against it (ConfVer or Version smaller), it is rejected.</item>
    /// <item>If the report's Version is smaller than that of any other region its range overlaps, it is rejected:
    /// splits and merges bump Version, so a smaller Version means the report predates the change that
    /// produced the overlapping region. ConfVer is not compared across regions: it counts the membership
    /// changes of one raft group (a merge keeps the target's), so values of different regions are unrelated.</item>
    /// <item>Otherwise the report replaces the known region, the overlapped regions are dropped
    /// (appended to <paramref name="dropped"/>), and the statistics of every store involved are recomputed (lazily, on the next read of a store).</item>
    /// </list>
    /// A rejected report changes nothing. An identical report is accepted and changes nothing.
    /// </remarks>
    public SchedulerError ProcessRegionHeartbeat(RegionInfo region, List<RegionInfo>? dropped = null)
    {
        if (!IsWellFormed(region))
        {
            return SchedulerError.InvalidRequest;
        }

        var origin = Regions.GetRegion(region.Id);
        if (origin is not null && region.Epoch.IsStaleComparedTo(origin.Epoch))
        {
            return SchedulerError.StaleRegion;
        }

        // A known region keeping its range overlaps nothing else: the tree holds it and regions never overlap.
        bool sameRange = origin is not null && origin.SameRange(region);
        if (!sameRange)
        {
            _overlaps.Clear();
            Regions.Tree.Overlaps(region.StartKey, region.EndKey, _overlaps);
            foreach (var other in _overlaps)
            {
                if (other.Id != region.Id && region.Epoch.Version < other.Epoch.Version)
                {
                    return SchedulerError.StaleRegion;
                }
            }
        }

        if (origin is not null && origin.Equals(region))
        {
            return SchedulerError.None;
        }

        _overlaps.Clear();
        Regions.SetRegion(region, _overlaps);
        dropped?.AddRange(_overlaps);

        return SchedulerError.None;
    }

    private static bool IsWellFormed(RegionInfo region)
    {
        if (region.Id == 0 || region.Peers.IsDefaultOrEmpty || region.Leader is not { } leader || !region.Peers.Contains(leader))
        {
            return false;
        }

        var peers = region.Peers.AsSpan();
        for (int i = 0; i < peers.Length; i++)
        {
            for (int j = i + 1; j < peers.Length; j++)
            {
                if (peers[i].StoreId == peers[j].StoreId || peers[i].Id == peers[j].Id)
                {
                    return false;
                }
            }
        }

        return region.EndKey.Length == 0 || region.StartKey.AsSpan().SequenceCompareTo(region.EndKey) < 0;
    }
}
