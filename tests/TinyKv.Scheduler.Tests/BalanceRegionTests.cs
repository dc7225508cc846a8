using TinyKv.Scheduler.Schedulers;

namespace TinyKv.Scheduler.Tests;

/// <summary>TinyKV 3C's balance-region tests (scenarios §12.2) over fixed cluster states.</summary>
public sealed class BalanceRegionTests
{
    private static readonly BalanceRegionScheduler Scheduler = new();

    [Fact]
    public void Replicas1()
    {
        var tc = new MockCluster();
        tc.MaxReplicas = 1;
        tc.AddRegionStore(1, 6);
        tc.AddRegionStore(2, 8);
        tc.AddRegionStore(3, 8);
        tc.AddRegionStore(4, 16);
        tc.AddLeaderRegion(1, 4);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 4, 1, withLeaderTransfer: true);

        tc.SetStoreOffline(1);
        tc.AddRegionStore(2, 6);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 4, 2, withLeaderTransfer: true);

        tc.MaxReplicas = 3;
        Assert.Null(Scheduler.Schedule(tc.Context()));

        tc.MaxReplicas = 1;
        Assert.NotNull(Scheduler.Schedule(tc.Context()));
    }

    [Fact]
    public void Replicas3()
    {
        var tc = new MockCluster();
        tc.AddRegionStore(1, 16);
        tc.AddRegionStore(2, 15);
        tc.AddRegionStore(3, 14);
        tc.AddLeaderRegion(1, 1, 2, 3);
        Assert.Null(Scheduler.Schedule(tc.Context()));

        tc.AddRegionStore(4, 2);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 1, 4, withLeaderTransfer: true);
        tc.AddRegionStore(5, 1);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 1, 5, withLeaderTransfer: true);
        tc.AddRegionStore(6, 0);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 1, 6, withLeaderTransfer: true);

        tc.SetStoreDown(6);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 1, 5, withLeaderTransfer: true);

        tc.SetStoreDown(4);
        tc.SetStoreDown(5);
        tc.AddRegionStore(7, 20);
        Assert.Null(Scheduler.Schedule(tc.Context()));
    }

    [Fact]
    public void Replicas5()
    {
        var tc = new MockCluster();
        tc.MaxReplicas = 5;
        tc.AddRegionStore(1, 4);
        tc.AddRegionStore(2, 5);
        tc.AddRegionStore(3, 6);
        tc.AddRegionStore(4, 7);
        tc.AddRegionStore(5, 28);
        tc.AddLeaderRegion(1, 1, 2, 3, 4, 5);

        tc.AddRegionStore(6, 1);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 5, 6);
        tc.AddRegionStore(7, 5);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 5, 6);

        tc.AddLeaderRegion(1, 2, 3, 4, 5, 6);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 5, 1);

        tc.AddRegionStore(11, 29);
        tc.AddRegionStore(12, 8);
        tc.AddRegionStore(13, 7);
        tc.AddLeaderRegion(1, 2, 3, 11, 12, 13);
        MockCluster.CheckTransferPeer(Scheduler.Schedule(tc.Context()), 11, 6);
    }

    [Fact]
    public void Pending_region_is_moved_first()
    {
        var tc = new MockCluster();
        tc.AddRegionStore(1, 16);
        tc.AddRegionStore(2, 7);
        tc.AddRegionStore(3, 15);
        tc.AddRegionStore(4, 10);
        tc.AddLeaderRegion(1, 1, 2, 3);
        tc.AddLeaderRegion(2, 1, 2, 3);
        tc.AddLeaderRegion(3, 2, 1, 3);
        var region3 = tc.State.GetRegion(3)!;
        tc.State.PutRegion(region3 with { PendingPeers = [region3.GetStorePeer(1)!.Value] });

        var op = Scheduler.Schedule(tc.Context());
        Assert.Equal(3ul, op?.RegionId);
        MockCluster.CheckTransferPeer(op, 1, 4);
    }

    [Theory]
    [InlineData(3, 6, false)]
    [InlineData(3, 5, true)]
    public void Moves_only_when_size_difference_exceeds_twice_the_region(int targetRegions, int sourceRegions, bool expectNull)
    {
        // Region size 10: source − target must exceed 20 MiB.
        var tc = new MockCluster();
        tc.MaxReplicas = 1;
        tc.AddRegionStore(1, sourceRegions);
        tc.AddRegionStore(2, targetRegions);
        tc.AddLeaderRegion(1, 1);
        Assert.Equal(expectNull, Scheduler.Schedule(tc.Context()) is null);
    }
}
