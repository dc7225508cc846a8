using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;
using TinyKv.Scheduler.Schedulers;

namespace TinyKv.Scheduler.Tests;

/// <summary>Replica repair: down and offline stores, missing and extra replicas.</summary>
public sealed class ReplicaCheckerTests
{
    private static readonly ReplicaChecker Checker = new();

    [Fact]
    public void Store_down_past_the_limit_gets_its_peer_replaced_end_to_end()
    {
        var options = new SchedulerOptions { MaxStoreDownTime = TimeSpan.FromMinutes(30) };
        var h = new ClusterHarness(options, storeCount: 4);
        h.StoreHeartbeats();
        // Peer ids far above what the allocator hands out in this test.
        var region = Build.Region(1, [], [], new RegionEpoch(3, 1), new Peer(1001, 1), new Peer(1002, 2), new Peer(1003, 3));
        h.Heartbeat(region);
        Assert.DoesNotContain(h.Cluster.Tick(), op => op.Kind.HasFlag(OperatorKind.Replica));

        // Store 3 falls silent; nothing happens until it has been down longer than the limit.
        h.Clock.Advance(TimeSpan.FromMinutes(29));
        h.StoreHeartbeats(silent: 3);
        Assert.DoesNotContain(h.Cluster.Tick(), op => op.Kind.HasFlag(OperatorKind.Replica));
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        h.StoreHeartbeats(silent: 3);
        var repair = Assert.Single(h.Cluster.Tick(), op => op.Kind.HasFlag(OperatorKind.Replica));
        Assert.True(repair.Steps[0] is AddPeer { StoreId: 4 }, repair.ToString());
        Assert.True(repair.Steps[^1] is RemovePeer { StoreId: 3 }, repair.ToString());

        region = h.DriveToCompletion(region);
        Assert.Equal([1ul, 2ul, 4ul], region.Peers.Select(p => p.StoreId).Order());
        Assert.Equal(OperatorStatus.Success, repair.Status);
    }

    [Fact]
    public void Peer_reported_down_by_the_leader_is_replaced()
    {
        var tc = new MockCluster();
        for (ulong s = 1; s <= 4; s++)
        {
            tc.AddRegionStore(s, 1);
        }

        var region = Build.Region(1, [], [], new RegionEpoch(3, 1), new Peer(1, 1), new Peer(2, 2), new Peer(3, 3))
            with { DownPeers = [new DownPeer(new Peer(2, 2), (ulong)TimeSpan.FromHours(1).TotalSeconds)] };
        var op = Checker.Check(region, tc.Context());
        Assert.True(op is { Steps: [AddPeer { StoreId: 4 }, RemovePeer { StoreId: 2 }] }, op?.ToString());
    }

    [Fact]
    public void Peer_on_offline_store_is_moved_out()
    {
        var tc = new MockCluster();
        for (ulong s = 1; s <= 4; s++)
        {
            tc.AddRegionStore(s, 1);
        }

        tc.SetStoreOffline(3);
        var region = Build.Region(1, [], [], new RegionEpoch(3, 1), new Peer(1, 1), new Peer(2, 2), new Peer(3, 3));
        var op = Checker.Check(region, tc.Context());
        Assert.True(op is { Steps: [AddPeer { StoreId: 4 }, RemovePeer { StoreId: 3 }] }, op?.ToString());
    }

    [Fact]
    public void Missing_replicas_are_added_on_the_emptiest_store()
    {
        var tc = new MockCluster();
        tc.AddRegionStore(1, 5);
        tc.AddRegionStore(2, 9);
        tc.AddRegionStore(3, 2);
        var region = Build.Region(1, [], [], new RegionEpoch(1, 1), new Peer(1, 1));
        var op = Checker.Check(region, tc.Context());
        Assert.True(op is { Steps: [AddPeer { StoreId: 3 }] } && op.Kind.HasFlag(OperatorKind.Replica), op?.ToString());
    }

    [Fact]
    public void Extra_replica_is_removed_from_the_fullest_non_leader_store()
    {
        var tc = new MockCluster();
        tc.AddRegionStore(1, 50);
        tc.AddRegionStore(2, 9);
        tc.AddRegionStore(3, 20);
        tc.AddRegionStore(4, 2);
        var region = Build.Region(1, [], [], new RegionEpoch(4, 1), new Peer(1, 1), new Peer(2, 2), new Peer(3, 3), new Peer(4, 4));
        var op = Checker.Check(region, tc.Context());
        Assert.True(op is { Steps: [RemovePeer { StoreId: 3 }] }, op?.ToString());
    }

    [Fact]
    public void Healthy_region_needs_nothing()
    {
        var tc = new MockCluster();
        for (ulong s = 1; s <= 4; s++)
        {
            tc.AddRegionStore(s, 1);
        }

        Assert.Null(Checker.Check(Build.Region(1, [], [], default, new Peer(1, 1), new Peer(2, 2), new Peer(3, 3)), tc.Context()));
    }

    [Fact]
    public void Down_peer_with_no_target_and_no_surplus_is_left_alone()
    {
        var tc = new MockCluster();
        for (ulong s = 1; s <= 3; s++)
        {
            tc.AddRegionStore(s, 1);
        }

        tc.SetStoreDown(3);
        Assert.Null(Checker.Check(Build.Region(1, [], [], default, new Peer(1, 1), new Peer(2, 2), new Peer(3, 3)), tc.Context()));
    }
}
