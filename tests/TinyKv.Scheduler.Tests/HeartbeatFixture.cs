using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Tests;

/// <summary>
/// TinyKV's setUpTestCluster: stores 1..3 and three regions; region i (0-based) spans
/// [{i}, {i+1}) with peers i×3+j on store (i+j)%3+1, epoch {2, 2}, the first peer leading.
/// <see cref="Expected"/> is what the cluster must hold; <see cref="Check"/> is checkRegions.
/// </summary>
internal sealed class HeartbeatFixture
{
    public const int RegionCount = 3;

    public HeartbeatFixture()
    {
        Cluster = new ClusterState(new SchedulerOptions(), new IdAllocator(new MemoryHighWaterMarkStore()), new Random(1));
        for (ulong store = 1; store <= 3; store++)
        {
            Cluster.PutStore(new StoreInfo { Id = store, Address = $"127.0.0.1:{20160 + store}" });
        }

        for (int i = 0; i < RegionCount; i++)
        {
            var peers = Enumerable.Range(0, 3).Select(j => new Peer((ulong)(i * 3 + j + 1), (ulong)((i + j) % 3) + 1)).ToArray();
            var region = Build.Region((ulong)i + 1, [(byte)i], [(byte)(i + 1)], new RegionEpoch(2, 2), peers);
            Expected.Add(region);
            Accept(region);
            Check($"setup region {i}");
        }
    }

    public ClusterState Cluster { get; }

    public List<RegionInfo> Expected { get; } = [];

    /// <summary>Heartbeats <paramref name="region"/>, expects acceptance, and records it as expected (overlapped regions are the caller's to drop).</summary>
    public void Accept(RegionInfo region)
    {
        Assert.Equal(SchedulerError.None, Cluster.ProcessRegionHeartbeat(region));
        int at = Expected.FindIndex(r => r.Id == region.Id);
        if (at < 0)
        {
            Expected.Add(region);
        }
        else
        {
            Expected[at] = region;
        }
    }

    /// <summary>Heartbeats <paramref name="region"/>, expects rejection as stale, and expects no change.</summary>
    public void Reject(RegionInfo region)
    {
        Assert.Equal(SchedulerError.StaleRegion, Cluster.ProcessRegionHeartbeat(region));
    }

    /// <summary>checkRegions: region count, per-store role counts, role lookups, store statistics.</summary>
    public void Check(string phase)
    {
        var regions = Cluster.Regions;
        Assert.True(Expected.Count == regions.Count, $"{phase}: region count");
        var stores = Expected.SelectMany(r => r.Peers.Select(p => p.StoreId)).Distinct();
        foreach (ulong store in stores)
        {
            int leaders = Expected.Count(r => r.IsLeaderStore(store));
            int followers = Expected.Count(r => r.HasPeerOnStore(store) && !r.IsLeaderStore(store));
            int all = Expected.Count(r => r.HasPeerOnStore(store));
            int pending = Expected.Count(r => r.PendingPeers.Any(p => p.StoreId == store));
            Assert.True(leaders == regions.StoreLeaderCount(store), $"{phase}: store {store} leaders: expected {leaders}, got {regions.StoreLeaderCount(store)}");
            Assert.True(followers == regions.StoreFollowerCount(store), $"{phase}: store {store} followers");
            Assert.True(all == regions.StoreRegionCount(store), $"{phase}: store {store} regions");
            Assert.True(pending == regions.StorePendingPeerCount(store), $"{phase}: store {store} pending peers");

            var info = Cluster.GetStore(store)!;
            Assert.True(leaders == info.LeaderCount && all == info.RegionCount && pending == info.PendingPeerCount, $"{phase}: store {store} statistics {info}");
            Assert.Equal(Expected.Where(r => r.HasPeerOnStore(store)).Sum(r => r.ApproximateSize), info.RegionSize);
            Assert.Equal(Expected.Where(r => r.IsLeaderStore(store)).Sum(r => r.ApproximateSize), info.LeaderSize);
        }

        foreach (var expected in Expected)
        {
            Assert.Equal(expected, regions.GetRegion(expected.Id));
            Assert.Equal(expected, regions.FindRegion(expected.StartKey));
            foreach (var peer in expected.Peers)
            {
                var role = expected.IsLeaderStore(peer.StoreId) ? regions.LeaderRegions(peer.StoreId) : regions.FollowerRegions(peer.StoreId);
                Assert.True(role.Contains(expected), $"{phase}: region {expected.Id} missing from the role index of store {peer.StoreId}");
            }
        }
    }
}
