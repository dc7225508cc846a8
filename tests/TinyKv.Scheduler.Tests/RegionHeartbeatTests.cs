using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Tests;

/// <summary>TinyKV 3C's heartbeat tests (scenarios §12.1) over the three-region fixture.</summary>
public sealed class RegionHeartbeatTests
{
    private static RegionInfo Bump(RegionInfo r, ulong confVer, ulong version) =>
        r with { Epoch = new RegionEpoch(r.Epoch.ConfVer + confVer, r.Epoch.Version + version) };

    /// <summary>
    /// Each scenario runs its heartbeats on every region in turn and checks the cluster after each.
    /// Expect: "accept" (state follows the report) or "reject" (stale, state unchanged).
    /// </summary>
    private static readonly Dictionary<string, Action<HeartbeatFixture, int>> Scenarios = new()
    {
        ["not update: identical heartbeat"] = (f, i) => f.Accept(f.Expected[i]),
        ["update version"] = (f, i) => f.Accept(Bump(f.Expected[i], 0, 1)),
        ["stale version with newer conf ver"] = (f, i) =>
        {
            var original = f.Expected[i];
            f.Accept(Bump(original, 0, 1));
            f.Reject(Bump(original, 1, 0));
        },
        ["update version and conf ver"] = (f, i) => f.Accept(Bump(f.Expected[i], 1, 1)),
        ["stale conf ver"] = (f, i) =>
        {
            var original = f.Expected[i];
            f.Accept(Bump(original, 1, 0));
            f.Reject(original);
        },
        ["add pending peer"] = (f, i) =>
        {
            var r = f.Expected[i];
            f.Accept(r with { PendingPeers = [r.Peers[new Random(i).Next(1, r.Peers.Length)]] });
        },
        ["remove pending peer"] = (f, i) =>
        {
            var r = f.Expected[i];
            f.Accept(r with { PendingPeers = [r.Peers[1]] });
            f.Accept(r with { PendingPeers = [] });
        },
        ["remove peers"] = (f, i) =>
        {
            var r = f.Expected[i];
            f.Accept(r with { Peers = [r.Peers[0]] });
        },
        ["add back peers"] = (f, i) =>
        {
            var r = f.Expected[i];
            f.Accept(r with { Peers = [r.Peers[0]] });
            f.Accept(r);
        },
        ["change leader"] = (f, i) =>
        {
            var r = f.Expected[i];
            f.Accept(r with { Leader = r.Peers[1] });
        },
        ["change approximate size"] = (f, i) =>
        {
            var r = f.Expected[i];
            f.Accept(r with { ApproximateSize = 144 });
            Assert.Equal(144, f.Cluster.GetRegion(r.Id)!.ApproximateSize);
        },
    };

    public static TheoryData<string> ScenarioNames() => [.. Scenarios.Keys];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Heartbeat_scenario(string name)
    {
        var fixture = new HeartbeatFixture();
        for (int i = 0; i < HeartbeatFixture.RegionCount; i++)
        {
            Scenarios[name](fixture, i);
            fixture.Check($"{name}, region {i}");
        }
    }

    [Fact]
    public void Remove_pending_peer_leaves_no_pending_counts()
    {
        var f = new HeartbeatFixture();
        for (int i = 0; i < HeartbeatFixture.RegionCount; i++)
        {
            var r = f.Expected[i];
            f.Accept(r with { PendingPeers = [r.Peers[1]] });
            f.Accept(r);
        }

        for (ulong store = 1; store <= 3; store++)
        {
            Assert.Equal(0, f.Cluster.GetStore(store)!.PendingPeerCount);
        }
    }

    [Fact]
    public void Store_region_count_equals_peers_on_store()
    {
        var f = new HeartbeatFixture();
        for (ulong store = 1; store <= 3; store++)
        {
            Assert.Equal(f.Expected.Count(r => r.HasPeerOnStore(store)), f.Cluster.Regions.StoreRegionCount(store));
        }
    }

    [Fact]
    public void Regions_come_back_in_key_order_equal_to_inputs()
    {
        var f = new HeartbeatFixture();
        Assert.Equal(f.Expected, f.Cluster.Regions.InOrder());
    }

    [Fact]
    public void Region_stores_and_follower_stores()
    {
        var f = new HeartbeatFixture();
        foreach (var r in f.Expected)
        {
            var held = f.Cluster.GetRegionStores(r).Select(s => s.Id);
            Assert.Equal(r.Peers.Select(p => p.StoreId).Order(), held);
            var followers = f.Cluster.GetFollowerStores(r).Select(s => s.Id).ToList();
            Assert.Equal(r.Peers.Skip(1).Select(p => p.StoreId).Order(), followers);
            Assert.DoesNotContain(r.Leader!.Value.StoreId, followers);
        }
    }

    [Theory]
    [InlineData("no peers")]
    [InlineData("leader not a peer")]
    [InlineData("start after end")]
    [InlineData("two peers on one store")]
    [InlineData("duplicate peer id")]
    [InlineData("region id 0")]
    public void Malformed_heartbeat_is_rejected_and_changes_nothing(string kind)
    {
        var f = new HeartbeatFixture();
        var r = f.Expected[0];
        var bad = kind switch
        {
            "no peers" => r with { Peers = [], Epoch = new RegionEpoch(9, 9) },
            "leader not a peer" => r with { Leader = new Peer(99, 1), Epoch = new RegionEpoch(9, 9) },
            "two peers on one store" => r with { Peers = r.Peers.Add(new Peer(77, r.Peers[0].StoreId)), Epoch = new RegionEpoch(9, 9) },
            "duplicate peer id" => r with { Peers = r.Peers.Add(new Peer(r.Peers[0].Id, 9)), Epoch = new RegionEpoch(9, 9) },
            "region id 0" => r with { Id = 0 },
            _ => r with { StartKey = [9], EndKey = [1], Epoch = new RegionEpoch(9, 9) },
        };
        Assert.Equal(SchedulerError.InvalidRequest, f.Cluster.ProcessRegionHeartbeat(bad));
        f.Check(kind);
    }

    [Fact]
    public void Report_with_older_version_than_an_overlapping_region_is_rejected()
    {
        var f = new HeartbeatFixture();
        var merged = Build.Region(100, [0], [2], new RegionEpoch(2, 1), new Peer(100, 1));
        f.Reject(merged);
        f.Check("stale overlap");
        f.Accept(Build.Region(100, [0], [2], new RegionEpoch(1, 3), new Peer(100, 1)) with { ApproximateSize = 10 });
        f.Expected.RemoveAll(r => r.Id is 1 or 2);
        f.Check("newer overlap replaces both");
    }
}
