using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;
using TinyKv.TestKit;

namespace TinyKv.Scheduler.Tests;

/// <summary>
/// Random heartbeat histories (size changes, leader changes, peer changes, pending peers, splits,
/// merges, stale reports) against a naive oracle: the per-store indexes and store statistics must
/// always equal what a recount over the accepted regions gives.
/// </summary>
public sealed class RegionIndexPropertyTests
{
    private const int Stores = 6;

    public static TheoryData<int> Seeds() => [.. TestSeed.Seeds(6)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Indexes_and_store_statistics_match_a_recount(int seed)
    {
        var random = new Random(seed);
        var cluster = new ClusterState(new SchedulerOptions(), new IdAllocator(new MemoryHighWaterMarkStore()), new Random(seed));
        for (ulong s = 1; s <= Stores; s++)
        {
            cluster.PutStore(new StoreInfo { Id = s });
        }

        ulong nextId = 1;
        var truth = new List<RegionInfo> { Build.Region(nextId++, [], [], new RegionEpoch(1, 1), RandomPeers(random, ref nextId)) };
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(truth[0]));
        for (int step = 0; step < 2000; step++)
        {
            int at = random.Next(truth.Count);
            var r = truth[at];
            int action = random.Next(8);
            switch (action)
            {
                case 0 when truth.Count < 200:
                    Split(truth, at, ref nextId, cluster);
                    break;
                case 1 when at + 1 < truth.Count:
                    var right = truth[at + 1];
                    var merged = right with { StartKey = r.StartKey, Epoch = right.Epoch with { Version = Math.Max(r.Epoch.Version, right.Epoch.Version) + 1 } };
                    Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(merged));
                    truth.RemoveAt(at + 1);
                    truth[at] = merged;
                    break;
                case 2:
                    Accept(cluster, truth, at, r with { Leader = r.Peers[random.Next(r.Peers.Length)] });
                    break;
                case 3:
                    var peers = RandomPeers(random, ref nextId);
                    Accept(cluster, truth, at, r with { Peers = [.. peers], Leader = peers[0], PendingPeers = [], Epoch = r.Epoch with { ConfVer = r.Epoch.ConfVer + 1 } });
                    break;
                case 4:
                    var followers = r.Peers.Where(p => p != r.Leader).ToArray();
                    Accept(cluster, truth, at, r with { PendingPeers = followers.Length == 0 || random.Next(2) == 0 ? [] : [followers[random.Next(followers.Length)]] });
                    break;
                case 5:
                    var stale = r with { Epoch = r.Epoch with { ConfVer = r.Epoch.ConfVer - 1 }, ApproximateSize = 999 };
                    if (r.Epoch.ConfVer > 0)
                    {
                        Assert.Equal(SchedulerError.StaleRegion, cluster.ProcessRegionHeartbeat(stale));
                    }

                    break;
                default:
                    Accept(cluster, truth, at, r with { ApproximateSize = random.Next(1, 200), ApproximateKeys = random.Next(1000) });
                    break;
            }

            if (step % 20 == 0)
            {
                Recount(cluster, truth, $"step {step}, {TestSeed.Replay(seed)}");
            }
        }

        Recount(cluster, truth, $"end, {TestSeed.Replay(seed)}");
    }

    private static void Accept(ClusterState cluster, List<RegionInfo> truth, int at, RegionInfo region)
    {
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(region));
        truth[at] = region;
    }

    private static void Split(List<RegionInfo> truth, int at, ref ulong nextId, ClusterState cluster)
    {
        var r = truth[at];
        ulong start = r.StartKey.Length == 0 ? 0 : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(r.StartKey);
        ulong end = r.EndKey.Length == 0 ? 1UL << 32 : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(r.EndKey);
        if (end - start < 2)
        {
            return;
        }

        var mid = Build.NumKey(start + (end - start) / 2);
        var epoch = r.Epoch with { Version = r.Epoch.Version + 1 };
        var left = r with { Id = nextId++, EndKey = mid, Epoch = epoch, Peers = [.. r.Peers.Select(p => p with { Id = p.Id + 100_000 })] };
        left = left with { Leader = left.Peers[r.Peers.IndexOf(r.Leader!.Value)], PendingPeers = [] };
        var right = r with { StartKey = mid, Epoch = epoch };
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(left));
        Assert.Equal(SchedulerError.None, cluster.ProcessRegionHeartbeat(right));
        truth[at] = right;
        truth.Insert(at, left);
    }

    private static Peer[] RandomPeers(Random random, ref ulong nextId)
    {
        var stores = Enumerable.Range(1, Stores).OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToArray();
        var peers = new Peer[stores.Length];
        for (int i = 0; i < stores.Length; i++)
        {
            peers[i] = new Peer(nextId++, (ulong)stores[i]);
        }

        return peers;
    }

    private static void Recount(ClusterState cluster, List<RegionInfo> truth, string phase)
    {
        Assert.True(truth.Count == cluster.Regions.Count, $"{phase}: region count");
        Assert.Equal(truth.Select(r => r.Id), cluster.Regions.InOrder().Select(r => r.Id));
        for (ulong s = 1; s <= Stores; s++)
        {
            var store = cluster.GetStore(s)!;
            var mine = truth.Where(r => r.HasPeerOnStore(s)).ToList();
            var led = mine.Where(r => r.IsLeaderStore(s)).ToList();
            var expected = (mine.Count, mine.Sum(r => r.ApproximateSize), led.Count, led.Sum(r => r.ApproximateSize), truth.Count(r => r.PendingPeers.Any(p => p.StoreId == s)));
            var actual = (store.RegionCount, store.RegionSize, store.LeaderCount, store.LeaderSize, store.PendingPeerCount);
            Assert.True(expected == actual, $"{phase}: store {s} expected {expected}, got {actual}");
            Assert.Equal(mine.Count - led.Count, cluster.Regions.StoreFollowerCount(s));
        }
    }
}
