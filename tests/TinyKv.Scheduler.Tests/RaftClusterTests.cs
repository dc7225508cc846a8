using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Tests;

/// <summary>Bootstrap, stores, ask-split and concurrent heartbeats through the thread-safe cluster.</summary>
public sealed class RaftClusterTests
{
    private static RaftCluster NewCluster(FakeTimeProvider? clock = null) =>
        new(new SchedulerOptions(), new IdAllocator(new MemoryHighWaterMarkStore()), clock ?? new FakeTimeProvider(), seed: 1);

    private static readonly RegionInfo FirstRegion = Build.Region(1, [], [], new RegionEpoch(1, 1), new Peer(1, 1));

    [Fact]
    public void Requests_before_bootstrap_are_refused()
    {
        var cluster = NewCluster();
        Assert.Equal(SchedulerError.NotBootstrapped, cluster.PutStore(new StoreInfo { Id = 2 }));
        Assert.Equal(SchedulerError.NotBootstrapped, cluster.HandleStoreHeartbeat(new StoreStats(1, 1, 1)));
        Assert.Equal(SchedulerError.NotBootstrapped, cluster.HandleRegionHeartbeat(FirstRegion).Error);
        Assert.Equal(SchedulerError.NotBootstrapped, cluster.AskSplit(FirstRegion).Error);
        Assert.Empty(cluster.Tick());
    }

    [Fact]
    public void Bootstrap_once_with_the_whole_key_space()
    {
        var cluster = NewCluster();
        Assert.Equal(SchedulerError.InvalidRequest, cluster.Bootstrap(new StoreInfo { Id = 1 }, FirstRegion with { EndKey = [5] }));
        Assert.Equal(SchedulerError.InvalidRequest, cluster.Bootstrap(new StoreInfo { Id = 1 }, FirstRegion with { Peers = [new Peer(1, 2)] }));
        Assert.False(cluster.IsBootstrapped);
        Assert.Equal(SchedulerError.None, cluster.Bootstrap(new StoreInfo { Id = 1 }, FirstRegion));
        Assert.Equal(SchedulerError.AlreadyBootstrapped, cluster.Bootstrap(new StoreInfo { Id = 1 }, FirstRegion));
        Assert.Equal(FirstRegion, cluster.GetRegionByKey(Build.Key("anything")));
        Assert.Equal(1, cluster.GetStore(1)!.RegionCount);
        Assert.Equal(1, cluster.GetStore(1)!.LeaderCount);
    }

    [Fact]
    public void Store_rules_tombstone_duplicate_address_unknown_store()
    {
        var cluster = NewCluster();
        cluster.Bootstrap(new StoreInfo { Id = 1, Address = "a" }, FirstRegion);
        Assert.Equal(SchedulerError.InvalidRequest, cluster.PutStore(new StoreInfo { Id = 2, Address = "a" }));
        Assert.Equal(SchedulerError.None, cluster.PutStore(new StoreInfo { Id = 2, Address = "b" }));
        Assert.Equal(SchedulerError.StoreNotFound, cluster.HandleStoreHeartbeat(new StoreStats(9, 1, 1)));
        Assert.Equal(SchedulerError.None, cluster.SetStoreState(2, StoreState.Tombstone));
        Assert.Equal(SchedulerError.StoreTombstoned, cluster.PutStore(new StoreInfo { Id = 2, Address = "b" }));
        Assert.Equal(SchedulerError.StoreTombstoned, cluster.HandleStoreHeartbeat(new StoreStats(2, 1, 1)));
        Assert.Equal(SchedulerError.StoreTombstoned, cluster.SetStoreState(2, StoreState.Up));
    }

    [Fact]
    public void Store_heartbeat_updates_stats_and_revives_a_down_store()
    {
        var clock = new FakeTimeProvider();
        var cluster = NewCluster(clock);
        cluster.Bootstrap(new StoreInfo { Id = 1 }, FirstRegion);
        cluster.SetStoreState(1, StoreState.Down);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(SchedulerError.None, cluster.HandleStoreHeartbeat(new StoreStats(1, 1000, 600)));
        var store = cluster.GetStore(1)!;
        Assert.Equal((1000ul, 600ul, StoreState.Up, clock.GetUtcNow()), (store.Capacity, store.Available, store.State, store.LastHeartbeat));
        Assert.Equal(1, store.RegionCount);
    }

    [Fact]
    public void Ask_split_allocates_a_region_id_and_one_peer_id_per_peer()
    {
        var cluster = NewCluster();
        cluster.Bootstrap(new StoreInfo { Id = 1 }, FirstRegion);
        var region = FirstRegion with { Peers = [new Peer(1, 1), new Peer(2, 2), new Peer(3, 3)] };
        var split = cluster.AskSplit(region);
        Assert.Equal(SchedulerError.None, split.Error);
        Assert.Equal(3, split.NewPeerIds.Length);
        var all = split.NewPeerIds.Append(split.NewRegionId).ToList();
        Assert.Equal(4, all.Distinct().Count());
        Assert.DoesNotContain(all, id => id is 0);
        Assert.Equal(SchedulerError.RegionNotFound, cluster.AskSplit(FirstRegion with { Id = 99 }).Error);
        Assert.True(cluster.AskSplit(region).NewRegionId > split.NewRegionId);
    }

    /// <summary>
    /// TinyKV's TestConcurrentHandleRegion: thousands of heartbeats of adjacent one-key regions on
    /// store 1 from several threads at once, interleaved with store heartbeats and ticks; all are
    /// accepted and the final state is exactly the set of reported regions.
    /// </summary>
    [Fact]
    public async Task Concurrent_region_heartbeats_are_all_applied()
    {
        var clock = new FakeTimeProvider();
        var cluster = NewCluster(clock);
        cluster.Bootstrap(new StoreInfo { Id = 1 }, FirstRegion);
        for (ulong s = 2; s <= 3; s++)
        {
            Assert.Equal(SchedulerError.None, cluster.PutStore(new StoreInfo { Id = s, Address = $"s{s}" }));
        }

        const int Regions = 4000;
        const int Threads = 8;
        var errors = new SchedulerError[Regions];
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (int i = t; i < Regions; i += Threads)
            {
                var region = Build.Region((ulong)i + 10, Build.NumKey((ulong)i + 1), Build.NumKey((ulong)i + 2), new RegionEpoch(1, 2), new Peer((ulong)i + 10, 1));
                errors[i] = cluster.HandleRegionHeartbeat(region).Error;
                if (i % 100 == 0)
                {
                    cluster.HandleStoreHeartbeat(new StoreStats(1, 1, 1));
                    cluster.Tick();
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.All(errors, e => Assert.Equal(SchedulerError.None, e));
        var regions = cluster.GetRegions();
        Assert.Equal(Regions, regions.Count);
        Assert.Equal(Regions, cluster.GetStore(1)!.RegionCount);
        Assert.Equal(Regions, cluster.GetStore(1)!.LeaderCount);
        for (int i = 0; i < Regions; i++)
        {
            Assert.Equal((ulong)i + 10, cluster.GetRegionByKey(Build.NumKey((ulong)i + 1))!.Id);
        }
    }
}
