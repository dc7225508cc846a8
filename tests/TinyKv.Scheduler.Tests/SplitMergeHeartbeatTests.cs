using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Tests;

/// <summary>Splits and merges seen only through heartbeats (TinyKV's TestHeartbeatSplit, TestRegionSplitAndMerge).</summary>
public sealed class SplitMergeHeartbeatTests
{
    private static ClusterState NewCluster()
    {
        var cluster = new ClusterState(new SchedulerOptions(), new IdAllocator(new MemoryHighWaterMarkStore()), new Random(1));
        cluster.PutStore(new StoreInfo { Id = 1 });
        return cluster;
    }

    [Fact]
    public void Split_reported_piece_by_piece()
    {
        var cluster = NewCluster();
        var peer = new Peer(1, 1);
        var r1 = Build.Region(1, [], [], new RegionEpoch(1, 1), peer);
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(r1));
        Assert.Equal(r1, cluster.Regions.FindRegion(Build.Key("m")));

        // Split 1: region 2 = [nil, m) reports first; [m, nil) is unknown until region 1 reports.
        var r2 = Build.Region(2, [], Build.Key("m"), new RegionEpoch(1, 2), new Peer(2, 1));
        r1 = r1 with { StartKey = Build.Key("m"), Epoch = new RegionEpoch(1, 2) };
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(r2));
        Assert.Equal(r2, cluster.Regions.FindRegion(Build.Key("a")));
        Assert.Null(cluster.Regions.FindRegion(Build.Key("m")));
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(r1));
        Assert.Equal(r1, cluster.Regions.FindRegion(Build.Key("m")));
        Assert.Equal(r2, cluster.Regions.FindRegion(Build.Key("a")));

        // Split 2: region 1 = [q, nil) reports first; "n" is unknown until region 3 = [m, q) reports.
        var r3 = Build.Region(3, Build.Key("m"), Build.Key("q"), new RegionEpoch(1, 3), new Peer(3, 1));
        r1 = r1 with { StartKey = Build.Key("q"), Epoch = new RegionEpoch(1, 3) };
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(r1));
        Assert.Null(cluster.Regions.FindRegion(Build.Key("n")));
        Assert.Equal(r1, cluster.Regions.FindRegion(Build.Key("q")));
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(r3));
        Assert.Equal(r3, cluster.Regions.FindRegion(Build.Key("n")));
        Assert.Equal(3, cluster.Regions.Count);
    }

    /// <summary>
    /// 7 rounds of splitting every region in two, 7 rounds of merging pairs, then 14 rounds of
    /// split, split, merge; after each round every region reports and is found by id, start key and
    /// end − 1, while end + 1 finds another region.
    /// </summary>
    [Fact]
    public void Repeated_splits_and_merges_keep_lookups_exact()
    {
        var cluster = NewCluster();
        ulong nextId = 2;
        List<RegionInfo> regions = [Build.Region(1, [], [], new RegionEpoch(1, 1), new Peer(1, 1))];
        HeartbeatAll(cluster, regions, "initial");
        for (int round = 0; round < 7; round++)
        {
            regions = Split(regions, ref nextId);
            HeartbeatAll(cluster, regions, $"split round {round}");
        }

        Assert.Equal(128, cluster.Regions.Count);
        for (int round = 0; round < 7; round++)
        {
            regions = Merge(regions);
            HeartbeatAll(cluster, regions, $"merge round {round}");
        }

        Assert.Equal(1, cluster.Regions.Count);
        for (int round = 0; round < 14; round++)
        {
            regions = round % 3 == 2 ? Merge(regions) : Split(regions, ref nextId);
            HeartbeatAll(cluster, regions, $"mixed round {round}");
        }
    }

    private static void HeartbeatAll(ClusterState cluster, List<RegionInfo> regions, string phase)
    {
        // Report in reverse key order, so new regions arrive before the older ones they overlap disappear.
        for (int i = regions.Count - 1; i >= 0; i--)
        {
            Assert.True(SchedulerError.None == cluster.ProcessRegionHeartbeat(regions[i]), $"{phase}: {regions[i]}");
        }

        Assert.True(regions.Count == cluster.Regions.Count, $"{phase}: region count {cluster.Regions.Count}, expected {regions.Count}");
        foreach (var region in regions)
        {
            Assert.Equal(region, cluster.GetRegion(region.Id));
            Assert.Equal(region, cluster.Regions.FindRegion(region.StartKey));
            ulong end = Num(region.EndKey, infinite: 1UL << 32);
            Assert.Equal(region, cluster.Regions.FindRegion(Build.NumKey(end - 1)));
            if (end < uint.MaxValue)
            {
                var after = cluster.Regions.FindRegion(Build.NumKey(end + 1));
                Assert.True(after is not null && after.Id != region.Id, $"{phase}: end + 1 of region {region.Id}");
            }
        }
    }

    private static List<RegionInfo> Split(List<RegionInfo> regions, ref ulong nextId)
    {
        var result = new List<RegionInfo>();
        foreach (var r in regions)
        {
            ulong start = Num(r.StartKey, 0);
            ulong end = Num(r.EndKey, 1UL << 32);
            var mid = Build.NumKey(start + (end - start) / 2);
            var epoch = r.Epoch with { Version = r.Epoch.Version + 1 };
            var peer = new Peer(nextId, 1);
            result.Add(Build.Region(nextId++, r.StartKey, mid, epoch, peer));
            result.Add(r with { StartKey = mid, Epoch = epoch });
        }

        return result;
    }

    private static List<RegionInfo> Merge(List<RegionInfo> regions)
    {
        var result = new List<RegionInfo>();
        for (int i = 0; i + 1 < regions.Count; i += 2)
        {
            var (left, right) = (regions[i], regions[i + 1]);
            ulong version = Math.Max(left.Epoch.Version, right.Epoch.Version) + 1;
            result.Add(right with { StartKey = left.StartKey, Epoch = right.Epoch with { Version = version } });
        }

        if (regions.Count % 2 == 1)
        {
            result.Add(regions[^1]);
        }

        return result;
    }

    private static ulong Num(byte[] key, ulong infinite) =>
        key.Length == 0 ? infinite : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(key);
}
